import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type AccessTokenKind = 'personal' | 'sign_in';

/** An API credential. Only the SHA-256 of the token is stored; the token is shown once. */
@Entity('access_tokens')
export class AccessToken {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'integer' })
  user_id: number;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  kind: AccessTokenKind;

  @Column({ type: 'char', length: 64 })
  token_hash: string;

  /** The first characters of the token, so a user can tell their tokens apart. */
  @Column({ type: 'varchar', length: 16 })
  hint: string;

  @Column({ type: 'timestamptz', nullable: true })
  expires_at: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  last_used_at: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revoked_at: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;
}
