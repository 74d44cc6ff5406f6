import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Where one stream (conversation) stands with one endpoint: when its first pending delivery may
 * next be attempted. Claims read these, not the deliveries, so their cost does not grow with
 * the number of streams waiting (see stream-heads.ts).
 */
@Entity('webhook_stream_heads')
export class WebhookStreamHead {
  @PrimaryColumn({ type: 'integer' }) endpoint_id: number;
  @PrimaryColumn({ type: 'varchar', length: 64 }) stream: string;
  /** The sequence of the stream's first pending delivery, as last looked up. */
  @Column({ type: 'integer' }) sequence: number;
  /** When a claim may take the stream next; NULL when nothing is pending. */
  @Column({ type: 'timestamptz', nullable: true }) due_at: Date | null;
  /** An attempt holds the stream until then. */
  @Column({ type: 'timestamptz', nullable: true }) leased_until: Date | null;
  /** Bumped by each statement that adds or hurries pending deliveries of the stream. */
  @Column({ type: 'integer' }) revision: number;
}
