import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One evaluation of a rule: which event, matched or not and why, what it did, what failed. */
@Entity('automation_rule_runs')
export class AutomationRuleRun {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' }) id: string;
  @Column({ type: 'integer' }) rule_id: number;
  @Column({ type: 'varchar', length: 64 }) event_name: string;
  @Column({ type: 'uuid', nullable: true }) event_id: string | null;
  @Column({ type: 'integer', nullable: true }) conversation_id: number | null;
  @Column({ type: 'boolean' }) matched: boolean;
  @Column({ type: 'text' }) reason: string;
  @Column({ type: 'jsonb' }) actions: unknown[];
  @Column({ type: 'jsonb' }) errors: unknown[];
  @Column({ type: 'boolean' }) dry_run: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) created_at: Date;
}
