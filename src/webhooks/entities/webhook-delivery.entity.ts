import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One event for one endpoint: the truth about what was sent (Bull only schedules attempts). */
@Entity('webhook_deliveries')
export class WebhookDelivery {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'integer' }) endpoint_id: number;
  @Column({ type: 'bigint' }) event_row_id: string;
  @Column({ type: 'varchar', length: 64 }) stream: string;
  @Column({ type: 'integer' }) sequence: number;
  @Column({ type: 'varchar', length: 16 }) status: DeliveryStatus;
  @Column({ type: 'integer' }) attempts: number;
  @Column({ type: 'timestamptz' }) next_attempt_at: Date;
  @Column({ type: 'timestamptz', nullable: true }) locked_until: Date | null;
  @Column({ type: 'integer', nullable: true }) last_status_code: number | null;
  @Column({ type: 'text', nullable: true }) last_error: string | null;
  @Column({ type: 'timestamptz', nullable: true }) delivered_at: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) failed_at: Date | null;
  @Column({ type: 'timestamptz' }) created_at: Date;
}
