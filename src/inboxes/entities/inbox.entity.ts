import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/**
 * An API inbox: where an integrator's system sends contacts and messages. Its own webhook (URL
 * and secrets) belongs to the webhooks module.
 */
@Entity('inboxes')
export class Inbox {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'integer' })
  account_id: number;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ type: 'varchar', length: 32, default: 'api' })
  channel_type: string;

  /** Public routing id of the Client API (not a secret). */
  @Column({ type: 'varchar', length: 64 })
  identifier: string;

  /** Key of the identity HMAC (identifier_hash); administrators only. */
  @Column({ type: 'varchar', length: 64 })
  hmac_token: string;

  @Column({ type: 'boolean', default: false })
  hmac_mandatory: boolean;

  @Column({ type: 'jsonb', default: {} })
  additional_attributes: Record<string, unknown>;

  @Column({ type: 'boolean', default: true })
  enable_auto_assignment: boolean;

  @Column({ type: 'boolean', default: false })
  lock_to_single_conversation: boolean;

  @Column({ type: 'boolean', default: true })
  allow_messages_after_resolved: boolean;

  @Column({ type: 'boolean', default: false })
  greeting_enabled: boolean;

  @Column({ type: 'text', nullable: true })
  greeting_message: string | null;

  @Column({ type: 'varchar', length: 64, default: 'UTC' })
  timezone: string;

  /** Set when deletion starts; the inbox disappears from the API at once. */
  @Column({ type: 'timestamptz', nullable: true })
  deleted_at: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
