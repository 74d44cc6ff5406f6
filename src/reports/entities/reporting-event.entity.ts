import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Chatwoot's reporting event: one measured interval (first response, resolution, ...). */
@Entity('reporting_events')
export class ReportingEventRow {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;
  @Column({ type: 'integer' }) account_id: number;
  @Column({ type: 'varchar', length: 40 }) name: string;
  @Column({ type: 'double precision' }) value: number;
  @Column({ type: 'double precision' }) value_in_business_hours: number;
  @Column({ type: 'timestamptz' }) event_start_time: Date;
  @Column({ type: 'timestamptz' }) event_end_time: Date;
  @Column({ type: 'integer', nullable: true }) inbox_id: number | null;
  @Column({ type: 'integer', nullable: true }) user_id: number | null;
  @Column({ type: 'integer', nullable: true }) team_id: number | null;
  @Column({ type: 'integer', nullable: true }) conversation_id: number | null;
  @Column({ type: 'integer', nullable: true }) display_id: number | null;
  /** The outbox event it was derived from. */
  @Column({ type: 'bigint' }) source_event_id: string;
  @Column({ type: 'timestamptz' }) created_at: Date;
}
