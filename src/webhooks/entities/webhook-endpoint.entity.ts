import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export type EndpointKind = 'account' | 'inbox' | 'agent_bot';

/**
 * A place events are delivered to, with its URL, secrets and health: an account webhook (with
 * its subscriptions) or an API inbox's own webhook (one per inbox, made with the inbox; its URL
 * is the inbox's `webhook_url`, null while it has none), or an agent bot's (its `outgoing_url`, or
 * the in-process bot it names; it receives the events of the inboxes the bot is attached to).
 */
@Entity('webhook_endpoints')
export class WebhookEndpoint {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'integer' }) account_id: number;
  @Column({ type: 'varchar', length: 16 }) kind: EndpointKind;
  /** Account webhooks: the inbox filter; inbox webhooks: the inbox. */
  @Column({ type: 'integer', nullable: true }) inbox_id: number | null;
  /** Agent bot endpoints: the bot. */
  @Column({ type: 'integer', nullable: true }) agent_bot_id: number | null;
  @Column({ type: 'varchar', length: 255, nullable: true }) name: string | null;
  @Column({ type: 'text', nullable: true }) url: string | null;
  @Column({ type: 'text', array: true }) subscriptions: string[];
  @Column({ type: 'varchar', length: 64 }) secret: string;
  @Column({ type: 'varchar', length: 64, nullable: true }) previous_secret: string | null;
  @Column({ type: 'timestamptz', nullable: true }) previous_secret_expires_at: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) disabled_at: Date | null;
  @Column({ type: 'text', nullable: true }) disabled_reason: string | null;
  /** Start of the current run of failures; cleared by a success. */
  @Column({ type: 'timestamptz', nullable: true }) failing_since: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) created_at: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updated_at: Date;
}
