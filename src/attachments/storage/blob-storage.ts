import type { Readable } from 'node:stream';

/**
 * Where attachment files live, chosen by ATTACHMENT_STORAGE. Keys are opaque paths made by the
 * attachments module (`<uuid>` or `<uuid>.thumb`); files are written whole or not at all.
 */
export interface BlobStorage {
  /**
   * Stores the stream under `key`; resolves when the file is durable. A stream that fails
   * (a size limit, a dropped client) leaves nothing under the key.
   */
  put(key: string, body: Readable, contentType: string): Promise<void>;
  /** The file's bytes, or undefined when there is no such file. */
  get(key: string): Promise<Readable | undefined>;
  /** Removes the file; a missing file is not an error (deletion is retried until it is done). */
  delete(key: string): Promise<void>;
  /** Releases connections (S3's). */
  close?(): void;
}

export const BLOB_STORAGE = Symbol('BlobStorage');
