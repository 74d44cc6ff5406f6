import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Availability, Role } from './account-user.entity.js';

/** A pending offer of membership to an existing user: no access until they accept it. */
@Entity('account_invitations')
export class AccountInvitation {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'integer' })
  account_id: number;

  @Column({ type: 'integer' })
  user_id: number;

  /** As the administrator typed it (lower-cased): what they may see of the user. */
  @Column({ type: 'varchar', length: 255 })
  email: string;

  @Column({ type: 'varchar', length: 16 })
  role: Role;

  @Column({ type: 'varchar', length: 16, default: 'offline' })
  availability: Availability;

  @Column({ type: 'boolean', default: true })
  auto_offline: boolean;

  @Column({ type: 'integer', nullable: true })
  invited_by_user_id: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;
}
