import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An inbox as the reports projection knows it from inbox events: name, timezone, hours. */
@Entity('report_inboxes')
export class ReportInbox {
  @PrimaryColumn({ type: 'integer' }) inbox_id: number;
  @Column({ type: 'integer' }) account_id: number;
  @Column({ type: 'varchar', length: 255 }) name: string;
  @Column({ type: 'varchar', length: 64 }) channel_type: string;
  @Column({ type: 'varchar', length: 64 }) timezone: string;
  @Column({ type: 'boolean' }) working_hours_enabled: boolean;
  @Column({ type: 'jsonb' }) working_hours: unknown[];
}
