import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Where the reports projection stands in the outbox: every event before it is applied. */
@Entity('report_projection')
export class ReportProjectionRow {
  @PrimaryColumn({ type: 'varchar', length: 32 }) name: string;
  /** The last applied event's writing transaction (xid8, as text). */
  // xid8 in the table (TypeORM has no such type; only SQL reads and writes it).
  @Column({ type: 'text' }) last_tx_id: string;
  @Column({ type: 'bigint' }) last_event_id: string;
  @Column({ type: 'timestamptz' }) updated_at: Date;
}
