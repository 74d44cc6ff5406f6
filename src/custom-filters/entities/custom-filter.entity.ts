import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export const FILTER_TYPES = ['conversation', 'contact', 'report'] as const;
export type FilterType = (typeof FILTER_TYPES)[number];

/** A user's saved filter (a Chatwoot "custom view"): the body of a /filter request, named. */
@Entity('custom_filters')
export class CustomFilter {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'integer' })
  account_id: number;

  /** Only this user sees and changes it. */
  @Column({ type: 'integer' })
  user_id: number;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  filter_type: FilterType;

  @Column({ type: 'jsonb' })
  query: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
