import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { startAppContext } from '../support/app-context.js';
import type { TestAppContext } from '../support/app-context.js';
import { built } from '../support/built.js';
import { testDatabase } from '../support/database.js';
import { isolate } from '../support/webhooks.js';
import type { Isolation } from '../support/webhooks.js';

// The app's own classes (see built.ts).
const { AttachmentSweeper, AttachmentUploads } =
  await built<typeof import('../../src/attachments/index.js')>('attachments/index.js');

/**
 * Crash safety of uploads, on the real database and disk: a file whose store fails leaves
 * nothing, and an upload whose message never committed is swept with its file once abandoned,
 * not before.
 */
describe('Attachment uploads and the sweep', () => {
  let isolation: Isolation;
  let context: TestAppContext;
  let directory: string;
  let uploads: InstanceType<typeof AttachmentUploads>;
  let sweeper: InstanceType<typeof AttachmentSweeper>;

  async function files(): Promise<string[]> {
    const found: string[] = [];
    async function walk(dir: string) {
      for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
        if (entry.isDirectory()) await walk(join(dir, entry.name));
        else found.push(entry.name);
      }
    }
    await walk(directory);
    return found;
  }

  async function row(token: string) {
    const { rows } = await testDatabase().query(
      `SELECT id, message_id, storage_key, sweep_after FROM attachments WHERE upload_token = $1`,
      [token],
    );
    return rows[0];
  }

  beforeAll(async () => {
    // A database of its own: another spec's server sweeping the same table (with other storage)
    // would take these uploads.
    isolation = await isolate('attachment_sweep');
    directory = await mkdtemp(join(tmpdir(), 'conversa-sweep-'));
    context = await startAppContext({
      ATTACHMENT_DIR: directory,
      // Abandoned at once: every unattached upload may be swept (the test sets the grace).
      ATTACHMENT_ABANDONED_AFTER_MS: '0',
    });
    uploads = context.app.get(AttachmentUploads);
    sweeper = context.app.get(AttachmentSweeper);
  });

  afterAll(async () => {
    await context?.stop();
    await isolation?.release();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('a stream that fails while storing leaves no row and no file', async () => {
    const before = await files();
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(64 * 1024, 'x'));
        this.destroy(new Error('client went away'));
      },
    });
    await expect(uploads.store(failing, 'cut.txt')).rejects.toThrow('client went away');
    expect(await files()).toEqual(before);
    const { rows } = await testDatabase().query(
      `SELECT count(*)::int AS n FROM attachments WHERE file_name = 'cut.txt'`,
    );
    expect(rows[0].n).toBe(0);
  });

  it('an upload whose message never committed is swept with its file once abandoned', async () => {
    const waiting = await uploads.store(Readable.from([Buffer.from('still waiting')]), 'w.txt');
    const abandoned = await uploads.store(Readable.from([Buffer.from('never sent')]), 'a.txt');
    // One still within its grace: its message may yet commit.
    await testDatabase().query(
      `UPDATE attachments SET sweep_after = now() + interval '1 hour' WHERE upload_token = $1`,
      [waiting],
    );
    const stored = (await row(abandoned)).storage_key as string;
    expect(await files()).toContain(stored);

    expect(await sweeper.run()).toBeGreaterThanOrEqual(1);
    expect(await row(abandoned)).toBeUndefined();
    expect(await files()).not.toContain(stored);
    expect(await row(waiting)).toMatchObject({ message_id: null });
    expect(await files()).toContain((await row(waiting)).storage_key);
  });
});
