import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Chatwoot's bot types by their integer codes; a Conversa bot is a webhook bot. */
export const BOT_TYPES = ['webhook'] as const;

/**
 * A bot of an account: it talks to contacts in the inboxes it is attached to, through the
 * Application API with its own access token (only its hash is kept), and receives their events
 * at `outgoing_url` (or, with `bot_config.in_process`, inside the process).
 */
@Entity('agent_bots')
export class AgentBot {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'integer' }) account_id: number;
  @Column({ type: 'varchar', length: 255 }) name: string;
  @Column({ type: 'text', nullable: true }) description: string | null;
  @Column({ type: 'text', nullable: true }) outgoing_url: string | null;
  /** Index into BOT_TYPES. */
  @Column({ type: 'smallint' }) bot_type: number;
  @Column({ type: 'jsonb' }) bot_config: Record<string, unknown>;
  @Column({ type: 'text', nullable: true }) avatar_url: string | null;
  @Column({ type: 'varchar', length: 64 }) access_token_hash: string;
  @Column({ type: 'varchar', length: 16 }) access_token_hint: string;
  @Column({ type: 'timestamptz' }) created_at: Date;
  @Column({ type: 'timestamptz' }) updated_at: Date;
}
