import type { EntityManager } from 'typeorm';
import type { AttachmentJson } from './attachment-urls.js';
import { UnknownUploadError } from './attachments.errors.js';

/** SQL for an attachment as the read models carry it; `a` is the attachments alias. */
const ATTACHMENT_JSON = `json_build_object(
  'id', a.id, 'message_id', a.message_id, 'file_type', a.file_type, 'account_id', a.account_id,
  'extension', a.extension, 'file_size', a.file_size, 'width', a.width, 'height', a.height,
  'content_type', a.content_type, 'stored', a.storage_key IS NOT NULL, 'external_url', a.external_url)`;

/**
 * The attachments module's SQL for other modules' statements and transactions: the attachments
 * of a message inside its read model, and attaching and detaching inside a message's write.
 */
export const AttachmentSql = {
  /** A JSON array of the message's attachments, oldest first; `messageId` is SQL. */
  messageAttachmentsJson: (messageId: string): string =>
    `coalesce((SELECT json_agg(${ATTACHMENT_JSON} ORDER BY a.id) FROM attachments a
      WHERE a.message_id = ${messageId}), '[]'::json)`,

  /**
   * Attaches uploads (by their tokens) to a message in the message's transaction; returns them
   * as the read models carry them. Refuses, with UnknownUploadError, a token that names no
   * upload waiting for its message.
   */
  async attach(
    manager: EntityManager,
    uploadTokens: string[],
    message: { id: string | number; account_id: number },
  ): Promise<AttachmentJson[]> {
    if (uploadTokens.length === 0) return [];
    const rows: { attachment: AttachmentJson }[] = await manager.query(
      `WITH a AS (
         UPDATE attachments SET message_id = $1, account_id = $2, sweep_after = NULL
          WHERE upload_token = ANY($3::uuid[]) AND message_id IS NULL AND sweep_after IS NOT NULL
          RETURNING *)
       SELECT ${ATTACHMENT_JSON} AS attachment FROM a ORDER BY a.id`,
      [message.id, message.account_id, uploadTokens],
    );
    if (rows.length !== new Set(uploadTokens).size) throw new UnknownUploadError();
    return rows.map((row) => row.attachment);
  },

  /** Detaches a deleted message's files: the sweeper removes them in the background. */
  async detachAll(manager: EntityManager, messageId: string | number): Promise<void> {
    await manager.query(
      `UPDATE attachments SET message_id = NULL, sweep_after = NULL WHERE message_id = $1`,
      [messageId],
    );
  },
} as const;
