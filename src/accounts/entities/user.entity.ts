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

  /** The account whose administrator created the user (null: setup, or before this was kept). */
  @Column({ type: 'integer', nullable: true })
  created_by_account_id: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
