import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Open and unattended conversations now, per account and assignee (0: unassigned), as the
 * projection moves them; the live counts read these few rows, not every open conversation.
 */
@Entity('report_open_counts')
export class ReportOpenCount {
  @PrimaryColumn({ type: 'integer' }) account_id: number;
  @PrimaryColumn({ type: 'integer' }) assignee_id: number;
  @Column({ type: 'integer' }) open: number;
  @Column({ type: 'integer' }) unattended: number;
}
