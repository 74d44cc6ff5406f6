import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Readable } from 'node:stream';
import type { Sharp, SharpOptions } from 'sharp';
import { DataSource } from 'typeorm';
import type { Environment } from '../config/index.js';
import { lockPendingThumbnail, recordThumbnail } from './attachment.store.js';
import { BLOB_STORAGE } from './storage/blob-storage.js';
import type { BlobStorage } from './storage/blob-storage.js';

/** Chatwoot's thumbnails fit in 250 × 250. */
const THUMB_SIZE = 250;

type MakeSharp = (options: SharpOptions) => Sharp;
let loadingSharp: Promise<MakeSharp> | undefined;

/**
 * sharp (libvips) loads with the first image to make a thumbnail of: loaded at start it adds
 * about 25 MB to every process, most of which never sees an image.
 */
function loadSharp(): Promise<MakeSharp> {
  loadingSharp ??= import('sharp').then(({ default: sharp }) => {
    // Thumbnails of big images take the memory sharp needs for one at a time only.
    sharp.concurrency(1);
    sharp.cache(false);
    return sharp;
  });
  return loadingSharp;
}

/**
 * Makes image thumbnails in the background (sharp), one at a time, so an upload or a webhook
 * never waits for one. The work list is the attachments table (thumb_state 'pending'): a
 * thumbnail interrupted by a restart is made by the next pass. Until it exists, thumb_url
 * serves the image itself.
 */
@Injectable()
export class Thumbnails implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(Thumbnails.name);
  private readonly intervalMs: number;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(BLOB_STORAGE) private readonly storage: BlobStorage,
    config: ConfigService<Environment, true>,
  ) {
    this.intervalMs = config.get('ATTACHMENT_SWEEP_INTERVAL_MS', { infer: true });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.wake(), this.intervalMs).unref();
    this.wake();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Makes the pending thumbnails now (again after the current pass, if one runs). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((error) => this.logger.error({ err: error }, 'Making thumbnails failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Resolves when no thumbnail is being made (for the tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    while (!this.stopped && (await this.makeOne())) {
      // one image at a time
    }
  }

  private makeOne(): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const attachment = await lockPendingThumbnail(manager);
      if (!attachment) return false;
      const sharp = await loadSharp();
      const source = attachment.storage_key
        ? await this.storage.get(attachment.storage_key)
        : undefined;
      if (!source) {
        await recordThumbnail(manager, attachment.id, 'failed');
        return true;
      }
      const key = `${attachment.storage_key}.thumb`;
      try {
        // sharp reads the whole image before decoding it: one image at a time (sharp.concurrency).
        const image = sharp({ failOn: 'error' });
        source.once('error', (error) => image.destroy(error));
        source.pipe(image);
        const metadata = await image.metadata();
        const thumbnail = await image
          .rotate()
          .resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', withoutEnlargement: true })
          .webp()
          .toBuffer();
        await this.storage.put(key, Readable.from([thumbnail]), 'image/webp');
        await recordThumbnail(manager, attachment.id, {
          key,
          width: metadata.autoOrient?.width ?? metadata.width ?? 0,
          height: metadata.autoOrient?.height ?? metadata.height ?? 0,
        });
      } catch (error) {
        this.logger.warn({ err: error, attachmentId: attachment.id }, 'No thumbnail for an image');
        await recordThumbnail(manager, attachment.id, 'failed');
      }
      return true;
    });
  }
}
