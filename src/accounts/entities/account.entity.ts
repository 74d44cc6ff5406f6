import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

@Entity('accounts')
export class Account {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ type: 'varchar', length: 16, default: 'en' })
  locale: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  domain: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  support_email: string | null;

  /** Chatwoot's account settings (auto_resolve_after, auto_resolve_message, ...). */
  @Column({ type: 'jsonb', default: {} })
  settings: Record<string, unknown>;

  /** Chatwoot's account custom attributes (industry, company_size, timezone). */
  @Column({ type: 'jsonb', default: {} })
  custom_attributes: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
