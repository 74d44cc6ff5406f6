import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export const SENDER_NAME_TYPES = ['friendly', 'professional'] as const;
export type SenderNameType = (typeof SENDER_NAME_TYPES)[number];

/** One day of Chatwoot's working hours (day_of_week 0 = Sunday). */
export interface WorkingHours {
  day_of_week: number;
  closed_all_day?: boolean;
  open_all_day?: boolean;
  open_hour?: number | null;
  open_minutes?: number | null;
  close_hour?: number | null;
  close_minutes?: number | null;
}

/**
 * Where identity validation checks identifier_hash: `contact_routes` on the contact routes
 * (create or identify, show, update) as Chatwoot does; `every_request` on every Client API
 * route, conversations and messages too.
 */
export const HMAC_SCOPES = ['contact_routes', 'every_request'] as const;
export type HmacScope = (typeof HMAC_SCOPES)[number];

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

  /** With hmac_mandatory: which Client API routes need identifier_hash (see HMAC_SCOPES). */
  @Column({ type: 'varchar', length: 16, default: 'contact_routes' })
  hmac_scope: HmacScope;

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

  // Chatwoot's inbox settings, stored and shown as Chatwoot shows them (see the OpenAPI notes
  // on the inbox request for which of them Conversa acts on).
  @Column({ type: 'boolean', default: true })
  enable_email_collect: boolean;

  @Column({ type: 'boolean', default: false })
  csat_survey_enabled: boolean;

  @Column({ type: 'jsonb', default: {} })
  csat_config: Record<string, unknown>;

  @Column({ type: 'boolean', default: false })
  working_hours_enabled: boolean;

  @Column({ type: 'jsonb', default: [] })
  working_hours: WorkingHours[];

  @Column({ type: 'text', nullable: true })
  out_of_office_message: string | null;

  @Column({ type: 'integer', nullable: true })
  portal_id: number | null;

  @Column({ type: 'varchar', length: 16, default: 'friendly' })
  sender_name_type: SenderNameType;

  @Column({ type: 'varchar', length: 255, nullable: true })
  business_name: string | null;
  /** The agent bot that takes the inbox's new conversations first (null: people do). */
  @Column({ type: 'integer', nullable: true })
  agent_bot_id: number | null;

  /** Set when deletion starts; the inbox disappears from the API at once. */
  @Column({ type: 'timestamptz', nullable: true })
  deleted_at: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
