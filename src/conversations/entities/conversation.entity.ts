import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const CONVERSATION_STATUSES = ['open', 'pending', 'resolved', 'snoozed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** A conversation of a contact in an inbox. `display_id` is its id in the API, per account. */
@Entity('conversations')
export class Conversation {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'integer' }) account_id: number;
  @Column({ type: 'integer' }) inbox_id: number;
  @Column({ type: 'integer' }) contact_id: number;
  @Column({ type: 'integer' }) contact_inbox_id: number;
  @Column({ type: 'integer' }) display_id: number;
  @Column({ type: 'uuid' }) uuid: string;
  @Column({ type: 'varchar', length: 16 }) status: ConversationStatus;
  @Column({ type: 'timestamptz', nullable: true }) snoozed_until: Date | null;
  @Column({ type: 'varchar', length: 16, nullable: true }) priority: Priority | null;
  @Column({ type: 'integer', nullable: true }) assignee_id: number | null;
  /** The agent bot the conversation is assigned to (then assignee_id is null). */
  @Column({ type: 'integer', nullable: true }) assignee_agent_bot_id: number | null;
  @Column({ type: 'integer', nullable: true }) team_id: number | null;
  @Column({ type: 'text', array: true }) labels: string[];
  @Column({ type: 'jsonb' }) custom_attributes: Record<string, unknown>;
  @Column({ type: 'jsonb' }) additional_attributes: Record<string, unknown>;
  @Column({ type: 'boolean' }) muted: boolean;
  @Column({ type: 'timestamptz', nullable: true }) contact_last_seen_at: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) agent_last_seen_at: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) assignee_last_seen_at: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) first_reply_created_at: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) waiting_since: Date | null;
  @Column({ type: 'timestamptz' }) last_activity_at: Date;
  @Column({ type: 'timestamptz' }) created_at: Date;
  @Column({ type: 'timestamptz' }) updated_at: Date;
}
