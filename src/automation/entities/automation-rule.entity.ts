import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { RuleCondition } from '../conditions.js';

export interface RuleAction {
  action_name: string;
  action_params: unknown[];
}

@Entity('automation_rules')
export class AutomationRule {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' }) id: number;
  @Column({ type: 'integer' }) account_id: number;
  @Column({ type: 'varchar', length: 255 }) name: string;
  @Column({ type: 'text', nullable: true }) description: string | null;
  @Column({ type: 'varchar', length: 64 }) event_name: string;
  @Column({ type: 'jsonb' }) conditions: RuleCondition[];
  @Column({ type: 'jsonb' }) actions: RuleAction[];
  @Column({ type: 'boolean' }) active: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) created_at: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updated_at: Date;
}
