import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** An account label: the title conversations and contacts carry, with how to show it. */
@Entity('labels')
export class Label {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'integer' })
  account_id: number;

  /** Lower case (as Chatwoot stores it); unique per account. */
  @Column({ type: 'varchar', length: 255 })
  title: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  /** #rrggbb or #rgb. */
  @Column({ type: 'varchar', length: 7, default: '#1f93ff' })
  color: string;

  @Column({ type: 'boolean', default: false })
  show_on_sidebar: boolean;

  /**
   * Former titles still being renamed on conversations (in batches, after the rename
   * committed); empty when every conversation carries the current title.
   */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  renaming_from: string[];

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
