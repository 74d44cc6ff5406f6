import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One of an endpoint's WEBHOOK_ENDPOINT_CONCURRENCY slots, held by the attempt in flight in it,
 * whichever process makes it. Expires on its own if that process dies.
 */
@Entity('webhook_delivery_leases')
export class WebhookDeliveryLease {
  @PrimaryColumn({ type: 'integer' }) endpoint_id: number;
  @PrimaryColumn({ type: 'smallint' }) slot: number;
  @Column({ type: 'bigint' }) delivery_id: string;
  /** The delivery's attempt number: a late outcome of an expired lease frees nothing. */
  @Column({ type: 'integer' }) attempt: number;
  @Column({ type: 'timestamptz' }) expires_at: Date;
}
