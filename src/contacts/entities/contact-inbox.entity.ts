import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** A contact as known to one inbox: `source_id` names them in that inbox's Client API. */
@Entity('contact_inboxes')
export class ContactInbox {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'integer' })
  contact_id: number;

  @Column({ type: 'integer' })
  inbox_id: number;

  /** Unique per inbox. */
  @Column({ type: 'varchar', length: 255 })
  source_id: string;

  @Column({ type: 'varchar', length: 64 })
  pubsub_token: string;

  @Column({ type: 'boolean', default: false })
  hmac_verified: boolean;

  /**
   * Linked to an existing contact by an unverified email or phone match: the caller may talk as
   * the contact but neither read nor change its stored attributes through this source_id.
   */
  @Column({ type: 'boolean', default: false })
  unverified_match: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
