import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { AssignmentStrategy } from '../choose-assignee.js';

/** How an inbox auto-assigns (enable_auto_assignment on the inbox turns it on or off). */
@Entity('assignment_policies')
export class AssignmentPolicy {
  @PrimaryColumn({ type: 'integer' }) inbox_id: number;
  @Column({ type: 'integer' }) account_id: number;
  @Column({ type: 'varchar', length: 16 }) strategy: AssignmentStrategy;
  @Column({ type: 'integer', nullable: true }) capacity_in_inbox: number | null;
  @Column({ type: 'integer', nullable: true }) capacity_overall: number | null;
  @Column({ type: 'boolean' }) include_offline_agents: boolean;
  @Column({ type: 'boolean' }) keep_assignee_on_reopen: boolean;
  @Column({ type: 'integer', nullable: true }) last_assigned_user_id: number | null;
  @UpdateDateColumn({ type: 'timestamptz' }) updated_at: Date;
}

export const DEFAULT_POLICY: Omit<AssignmentPolicy, 'inbox_id' | 'account_id' | 'updated_at'> = {
  strategy: 'round_robin',
  capacity_in_inbox: null,
  capacity_overall: null,
  include_offline_agents: false,
  keep_assignee_on_reopen: false,
  last_assigned_user_id: null,
};
