import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataSource } from 'typeorm';
import type { Environment } from '../config/index.js';
import { completeUpload, insertUpload, takeUnattached } from './attachment.store.js';
import { DomainError } from '../common/index.js';
import { OutboundClient } from '../outbound/index.js';
import {
  AttachmentTooLargeError,
  AttachmentTypeNotAllowedError,
  ExternalAttachmentError,
  TooManyAttachmentsError,
} from './attachments.errors.js';
import {
  detectContentType,
  extensionOf,
  fileTypeOf,
  hasThumbnail,
  isDenied,
  SNIFF_BYTES,
} from './file-types.js';
import type { FileType } from './file-types.js';
import { ByteCounter, peek } from './peek.js';
import { BLOB_STORAGE } from './storage/blob-storage.js';
import type { BlobStorage } from './storage/blob-storage.js';
import { Thumbnails } from './thumbnails.service.js';

/**
 * Stores uploaded files before their message exists: type from the bytes, size counted as the
 * bytes stream to storage (never held whole). An upload is an attachment without a message
 * until the message's transaction attaches it; one that is never attached is swept.
 */
@Injectable()
export class AttachmentUploads {
  private readonly logger = new Logger(AttachmentUploads.name);
  private readonly maxBytes: number;
  private readonly deniedTypes: string;
  private readonly abandonedAfterMs: number;
  private readonly maxFiles: number;
  private readonly fetchTimeoutMs: number;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(BLOB_STORAGE) private readonly storage: BlobStorage,
    private readonly thumbnails: Thumbnails,
    private readonly outbound: OutboundClient,
    config: ConfigService<Environment, true>,
  ) {
    this.maxBytes = config.get('ATTACHMENT_MAX_BYTES', { infer: true });
    this.deniedTypes = config.get('ATTACHMENT_DENIED_TYPES', { infer: true });
    this.abandonedAfterMs = config.get('ATTACHMENT_ABANDONED_AFTER_MS', { infer: true });
    this.maxFiles = config.get('ATTACHMENT_MAX_FILES', { infer: true });
    this.fetchTimeoutMs = config.get('ATTACHMENT_FETCH_TIMEOUT_MS', { infer: true });
  }

  /**
   * The upload tokens of a message's `attachments`: tokens (multipart file parts became these)
   * as they are, http(s) URLs fetched and stored now. Refuses more than ATTACHMENT_MAX_FILES.
   */
  async prepare(entries: string[] | undefined): Promise<string[]> {
    if (!entries?.length) return [];
    if (entries.length > this.maxFiles) throw new TooManyAttachmentsError(this.maxFiles);
    const tokens: string[] = [];
    try {
      for (const entry of entries) {
        tokens.push(/^https?:\/\//i.test(entry) ? await this.fetch(entry) : entry);
      }
    } catch (error) {
      await this.discard(tokens.filter((token, index) => token !== entries[index]));
      throw error;
    }
    return tokens;
  }

  /** Fetches an external_url under the SSRF policy, with the size cap and a timeout; stores it. */
  private async fetch(url: string): Promise<string> {
    let response: Awaited<ReturnType<OutboundClient['get']>>;
    try {
      response = await this.outbound.get(url, this.fetchTimeoutMs);
    } catch (error) {
      throw new ExternalAttachmentError(url, (error as Error).message);
    }
    // Destroying an unread body raises an abort error on it: expected, and not ours to report.
    response.body.on('error', () => undefined);
    if (response.status !== 200) {
      response.body.destroy();
      throw new ExternalAttachmentError(url, `it answered ${response.status}, not 200`);
    }
    const name = decodeURIComponent(new URL(url).pathname.split('/').pop() || 'file');
    try {
      return await this.store(response.body, name, { externalUrl: url });
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw new ExternalAttachmentError(url, (error as Error).message);
    } finally {
      response.body.destroy();
    }
  }

  /**
   * Stores one file; returns the token of its (not yet attached) upload. Refuses a type on the
   * deny list and a file over ATTACHMENT_MAX_BYTES, leaving nothing stored.
   */
  async store(
    file: Readable,
    fileName: string,
    options: { fileType?: FileType; externalUrl?: string } = {},
  ): Promise<string> {
    const { head, stream } = await peek(file, SNIFF_BYTES);
    const detected = await detectContentType(head);
    if (isDenied(detected.contentType, this.deniedTypes)) {
      stream.destroy();
      throw new AttachmentTypeNotAllowedError(fileName, detected.contentType);
    }
    const storageKey = randomUUID();
    // The row first: a crash while storing leaves a row the sweeper finds, never a lost file.
    const { id, token } = await insertUpload(this.dataSource, {
      fileType: options.fileType ?? fileTypeOf(detected.contentType),
      contentType: detected.contentType,
      fileName: safeFileName(fileName, detected.extension),
      extension: extensionOf(fileName) ?? detected.extension ?? null,
      storageKey,
      externalUrl: options.externalUrl ?? null,
      abandonedAfterMs: this.abandonedAfterMs,
    });
    const counter = new ByteCounter(
      this.maxBytes,
      () => new AttachmentTooLargeError(fileName, this.maxBytes),
    );
    // Both settled before going on: a failed put has removed its partial file by then.
    const [read, stored] = await Promise.allSettled([
      pipeline(stream, counter),
      this.storage.put(storageKey, counter, detected.contentType),
    ]);
    const failure = [read, stored].find((result) => result.status === 'rejected');
    if (failure) {
      await this.discard([token]);
      throw failure.reason;
    }
    const thumbnail = hasThumbnail(detected.contentType);
    await completeUpload(this.dataSource, id, counter.bytes, thumbnail);
    if (thumbnail) this.thumbnails.wake();
    return token;
  }

  /** Removes uploads that were not attached (their request failed), files first. */
  async discard(tokens: string[]): Promise<void> {
    try {
      const rows = await takeUnattached(this.dataSource, tokens);
      for (const row of rows) {
        for (const key of [row.storage_key, row.thumb_key]) {
          if (key) await this.storage.delete(key);
        }
      }
    } catch (error) {
      // The sweeper removes them later.
      this.logger.warn({ err: error }, 'Removing unattached uploads failed');
    }
  }
}

/** The name shown in downloads: printable, at most 255 characters, never empty. */
function safeFileName(name: string, extension: string | undefined): string {
  const cleaned = name
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f/\\"]/g, '_')
    .trim()
    .slice(-255);
  return cleaned || `file${extension ? `.${extension}` : ''}`;
}
