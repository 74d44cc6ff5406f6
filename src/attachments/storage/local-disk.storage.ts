import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobStorage } from './blob-storage.js';

/**
 * Files in a directory. A file is written under a temporary name, flushed to disk and renamed:
 * a crash or a failed upload never leaves a partial file under its key.
 */
export class LocalDiskStorage implements BlobStorage {
  private readonly root: string;

  constructor(directory: string) {
    this.root = resolve(directory);
  }

  async put(key: string, body: Readable): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const partial = `${path}.${randomUUID()}.part`;
    try {
      await pipeline(body, createWriteStream(partial, { flags: 'wx' }));
      const handle = await open(partial, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(partial, path);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<Readable | undefined> {
    const stream = createReadStream(this.pathOf(key));
    // Opening fails asynchronously: wait for it, so a missing file is undefined, not an error.
    return new Promise((done, fail) => {
      stream.once('open', () => done(stream));
      stream.once('error', (error: NodeJS.ErrnoException) =>
        error.code === 'ENOENT' ? done(undefined) : fail(error),
      );
    });
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  /** Two levels of directories from the key's first characters keep directories small. */
  private pathOf(key: string): string {
    if (!/^[A-Za-z0-9._-]+$/.test(key) || key.startsWith('.')) {
      throw new Error(`Invalid storage key ${JSON.stringify(key)}`);
    }
    return join(this.root, key.slice(0, 2), key.slice(2, 4), key);
  }
}
