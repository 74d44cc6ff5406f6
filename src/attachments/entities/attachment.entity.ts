import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { FileType } from '../file-types.js';

export type ThumbState = 'none' | 'pending' | 'done' | 'failed';

/**
 * A file of a message. Written before its file is stored, with no message and `sweep_after`
 * set; the message's transaction attaches it. Rows without a message are swept with their files.
 */
@Entity('attachments')
export class Attachment {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'integer', nullable: true }) account_id: number | null;
  @Column({ type: 'bigint', nullable: true }) message_id: string | null;
  @Column({ type: 'varchar', length: 16 }) file_type: FileType;
  /** As detected from the bytes, and as served. */
  @Column({ type: 'varchar', length: 255 }) content_type: string;
  @Column({ type: 'varchar', length: 255 }) file_name: string;
  @Column({ type: 'varchar', length: 16, nullable: true }) extension: string | null;
  @Column({ type: 'bigint' }) file_size: string;
  @Column({ type: 'integer', nullable: true }) width: number | null;
  @Column({ type: 'integer', nullable: true }) height: number | null;
  @Column({ type: 'varchar', length: 255, nullable: true }) storage_key: string | null;
  @Column({ type: 'varchar', length: 255, nullable: true }) thumb_key: string | null;
  @Column({ type: 'varchar', length: 8 }) thumb_state: ThumbState;
  @Column({ type: 'text', nullable: true }) external_url: string | null;
  /** The id a request names its upload by (multipart file parts become these). */
  @Column({ type: 'uuid', nullable: true }) upload_token: string | null;
  /** Set while the upload waits for its message: past it, the upload is abandoned. */
  @Column({ type: 'timestamptz', nullable: true }) sweep_after: Date | null;
  @Column({ type: 'timestamptz' }) created_at: Date;
}
