import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  display_name: string | null;

  /** Unique case-insensitively (index on lower(email)). */
  @Column({ type: 'varchar', length: 255 })
  email: string;

  /** scrypt hash; null for a user who cannot sign in with a password. */
  @Column({ type: 'text', nullable: true, select: false })
  password_hash: string | null;

  @Column({ type: 'text', nullable: true })
  message_signature: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  phone_number: string | null;

  /** The client's own display settings, stored as sent (Chatwoot's ui_settings). */
  @Column({ type: 'jsonb', default: {} })
  ui_settings: Record<string, unknown>;

  /**
   * SHA-256 of the one-time token an agent invited without a password sets one with; null once
   * used. Only its owner ever saw the token.
   */
  @Column({ type: 'char', length: 64, nullable: true, select: false })
  password_setup_token_hash: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  password_setup_expires_at: Date | null;

  /** The account whose administrator created the user (null: setup, or before this was kept). */
  @Column({ type: 'integer', nullable: true })
  created_by_account_id: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
