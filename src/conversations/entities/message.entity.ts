import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Chatwoot's integer codes, which the REST API sends; webhooks send the names. */
export const MESSAGE_TYPES = ['incoming', 'outgoing', 'activity', 'template'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export const MESSAGE_STATUSES = ['sent', 'delivered', 'read', 'failed'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const CONTENT_TYPES = [
  'text',
  'input_text',
  'input_textarea',
  'input_email',
  'input_select',
  'cards',
  'form',
  'article',
  'incoming_email',
  'input_csat',
  'integrations',
  'sticker',
  'voice_call',
] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

export type SenderType = 'contact' | 'user' | 'agent_bot';

@Entity('messages')
export class Message {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'integer' }) account_id: number;
  @Column({ type: 'integer' }) inbox_id: number;
  @Column({ type: 'integer' }) conversation_id: number;
  /** Index into MESSAGE_TYPES. */
  @Column({ type: 'smallint' }) message_type: number;
  @Column({ type: 'text', nullable: true }) content: string | null;
  @Column({ type: 'varchar', length: 32 }) content_type: ContentType;
  @Column({ type: 'jsonb' }) content_attributes: Record<string, unknown>;
  @Column({ type: 'jsonb' }) additional_attributes: Record<string, unknown>;
  @Column({ type: 'boolean' }) private: boolean;
  @Column({ type: 'varchar', length: 16 }) status: MessageStatus;
  /** The integrator's id for the message; unique per inbox. */
  @Column({ type: 'varchar', length: 255, nullable: true }) source_id: string | null;
  @Column({ type: 'varchar', length: 255, nullable: true }) echo_id: string | null;
  @Column({ type: 'varchar', length: 16, nullable: true }) sender_type: SenderType | null;
  @Column({ type: 'integer', nullable: true }) sender_id: number | null;
  @Column({ type: 'timestamptz' }) created_at: Date;
  @Column({ type: 'timestamptz' }) updated_at: Date;
}
