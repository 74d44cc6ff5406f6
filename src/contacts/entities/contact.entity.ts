import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

@Entity('contacts')
export class Contact {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'integer' })
  account_id: number;

  @Column({ type: 'varchar', length: 255, default: '' })
  name: string;

  /** Unique per account, case-insensitively. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  email: string | null;

  /** E.164; unique per account. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  phone_number: string | null;

  /** The integrator's own id for the person; unique per account. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  identifier: string | null;

  @Column({ type: 'text', nullable: true })
  avatar_url: string | null;

  @Column({ type: 'boolean', default: false })
  blocked: boolean;

  @Column({ type: 'jsonb', default: {} })
  custom_attributes: Record<string, unknown>;

  @Column({ type: 'jsonb', default: {} })
  additional_attributes: Record<string, unknown>;

  /** A set, like a conversation's labels (Chatwoot's contact tags). */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  labels: string[];

  @Column({ type: 'timestamptz', nullable: true })
  last_activity_at: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
