import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One persisted domain event: the outbox that webhooks and the event feed are driven from. */
@Entity('domain_events')
export class DomainEventRow {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'uuid' })
  event_id: string;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'integer' })
  account_id: number;

  @Column({ type: 'integer', nullable: true })
  inbox_id: number | null;

  @Column({ type: 'integer', nullable: true })
  conversation_id: number | null;

  @Column({ type: 'varchar', length: 64 })
  stream: string;

  @Column({ type: 'integer' })
  sequence: number;

  @Column({ type: 'varchar', length: 32 })
  actor_type: string;

  @Column({ type: 'integer', nullable: true })
  actor_id: number | null;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'timestamptz' })
  occurred_at: Date;
}
