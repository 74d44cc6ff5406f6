import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One HTTP attempt of a delivery, as the receiver answered it (or did not). */
@Entity('webhook_delivery_attempts')
export class WebhookAttempt {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'bigint' }) delivery_id: string;
  @Column({ type: 'timestamptz' }) attempted_at: Date;
  @Column({ type: 'integer', nullable: true }) status_code: number | null;
  @Column({ type: 'integer' }) duration_ms: number;
  /** The first 4 KiB of the answer's body. */
  @Column({ type: 'text', nullable: true }) response_excerpt: string | null;
  @Column({ type: 'text', nullable: true }) error: string | null;
}
