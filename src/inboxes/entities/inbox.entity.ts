import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** An API inbox: where an integrator's system sends contacts and messages. */
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

  @Column({ type: 'text', nullable: true })
  webhook_url: string | null;

  /** Signing secret of the inbox webhook (whsec_...); administrators only. */
  @Column({ type: 'varchar', length: 64 })
  webhook_secret: string;

  /** The secret before the last rotation, still signed with until it expires. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  webhook_previous_secret: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  webhook_previous_secret_expires_at: Date | null;

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
