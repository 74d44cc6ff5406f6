import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What the reports projection remembers of a conversation between its events. */
@Entity('report_conversations')
export class ReportConversation {
  @PrimaryColumn({ type: 'integer' }) conversation_id: number;
  @Column({ type: 'integer' }) account_id: number;
  @Column({ type: 'integer' }) inbox_id: number;
  @Column({ type: 'integer' }) display_id: number;
  @Column({ type: 'timestamptz' }) created_at: Date;
  @Column({ type: 'varchar', length: 16 }) status: string;
  @Column({ type: 'integer', nullable: true }) assignee_id: number | null;
  @Column({ type: 'integer', nullable: true }) team_id: number | null;
  @Column({ type: 'text', array: true }) labels: string[];
  @Column({ type: 'timestamptz', nullable: true }) first_reply_at: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) waiting_since: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) last_resolved_at: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) handoff_at: Date | null;
}
