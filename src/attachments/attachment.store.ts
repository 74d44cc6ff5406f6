import type { DataSource, EntityManager } from 'typeorm';
import type { Attachment } from './entities/attachment.entity.js';
import type { FileType } from './file-types.js';

/*
 * The attachments module's own statements. Uploads and sweeps write single rows outside any
 * message transaction on purpose: the row of an upload exists before its file (so a crash leaves
 * a row the sweeper finds, never an unknown file), and only the message's unit of work attaches it.
 */

export interface NewUpload {
  fileType: FileType;
  contentType: string;
  fileName: string;
  extension: string | null;
  storageKey: string | null;
  externalUrl: string | null;
  abandonedAfterMs: number;
}

/** Records an upload about to be stored; returns its id and its token. */
export async function insertUpload(
  on: DataSource,
  upload: NewUpload,
): Promise<{ id: string; token: string }> {
  const [row] = await on.query(
    `INSERT INTO attachments (file_type, content_type, file_name, extension, storage_key, external_url,
       upload_token, sweep_after)
     VALUES ($1, $2, $3, $4, $5, $6, gen_random_uuid(), now() + make_interval(secs => $7::double precision / 1000))
     RETURNING id, upload_token`,
    [
      upload.fileType,
      upload.contentType,
      upload.fileName,
      upload.extension,
      upload.storageKey,
      upload.externalUrl,
      upload.abandonedAfterMs,
    ],
  );
  return { id: String(row.id), token: row.upload_token };
}

/** Records the stored file's size, and queues its thumbnail when it has one. */
export async function completeUpload(
  on: DataSource,
  id: string,
  size: number,
  thumbnail: boolean,
): Promise<void> {
  await on.query(`UPDATE attachments SET file_size = $2, thumb_state = $3 WHERE id = $1`, [
    id,
    size,
    thumbnail ? 'pending' : 'none',
  ]);
}

/** Unattached uploads among `tokens`, removed now (the request that made them failed). */
export async function takeUnattached(on: DataSource, tokens: string[]): Promise<Attachment[]> {
  if (tokens.length === 0) return [];
  const [rows]: [Attachment[], number] = await on.query(
    `DELETE FROM attachments WHERE upload_token = ANY($1::uuid[]) AND message_id IS NULL RETURNING *`,
    [tokens],
  );
  return rows;
}

export async function findAttachment(on: DataSource, id: string): Promise<Attachment | undefined> {
  const [row] = await on.query(`SELECT * FROM attachments WHERE id = $1`, [id]);
  return row;
}

/**
 * Up to `limit` rows to sweep (no message: deleted with their message, or abandoned uploads),
 * locked for the caller's transaction so that two sweepers share the work.
 */
export function lockSweepable(manager: EntityManager, limit: number): Promise<Attachment[]> {
  return manager.query(
    `SELECT * FROM attachments
      WHERE message_id IS NULL AND (sweep_after IS NULL OR sweep_after < now())
      ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
    [limit],
  );
}

export async function deleteAttachments(manager: EntityManager, ids: string[]): Promise<void> {
  await manager.query(`DELETE FROM attachments WHERE id = ANY($1::bigint[])`, [ids]);
}

/** The next image waiting for its thumbnail, locked for the caller's transaction. */
export async function lockPendingThumbnail(
  manager: EntityManager,
): Promise<Attachment | undefined> {
  const [row] = await manager.query(
    `SELECT * FROM attachments WHERE thumb_state = 'pending' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`,
  );
  return row;
}

export async function recordThumbnail(
  manager: EntityManager,
  id: string,
  result: { key: string; width: number; height: number } | 'failed',
): Promise<void> {
  if (result === 'failed') {
    await manager.query(`UPDATE attachments SET thumb_state = 'failed' WHERE id = $1`, [id]);
    return;
  }
  await manager.query(
    `UPDATE attachments SET thumb_state = 'done', thumb_key = $2, width = $3, height = $4 WHERE id = $1`,
    [id, result.key, result.width, result.height],
  );
}
