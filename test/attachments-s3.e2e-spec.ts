import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import {
  accountPath,
  createInbox,
  createPublicContact,
  createPublicConversation,
} from './support/api-channel.js';
import { binary, pathOf, png } from './support/attachments.js';
import { testDatabase } from './support/database.js';
import { eventually } from './support/eventually.js';
import { createAccount } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { expectProblem } from './support/problems.js';
import { freePort, startServer } from './support/server.js';
import { isolate } from './support/webhooks.js';
import type { Isolation } from './support/webhooks.js';
import type { TestServer } from './support/server.js';

const BUCKET = 'conversa-test';
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const MAX_BYTES = 8 * 1024 * 1024;

/**
 * The S3 storage backend against an S3-compatible server the test starts on loopback (s3rver,
 * an npm dev dependency, files in a temporary directory): uploads stream to the bucket in parts,
 * downloads come back byte for byte, a refused upload leaves no object, deletion removes them.
 */
describe('Attachments (S3 storage)', () => {
  let isolation: Isolation;
  let s3: S3rver;
  let client: S3Client;
  let directory: string;
  let server: TestServer;
  let admin: TestAccount;
  let messagesPath: string;

  async function objectKeys(): Promise<string[]> {
    const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    return (listed.Contents ?? []).map((object) => object.Key!);
  }

  beforeAll(async () => {
    // A database of its own: its sweeper works on its table with its storage only.
    isolation = await isolate('attachments_s3');
    directory = await mkdtemp(join(tmpdir(), 'conversa-s3-'));
    const port = await freePort();
    s3 = new S3rver({
      address: '127.0.0.1',
      port,
      silent: true,
      directory,
      configureBuckets: [{ name: BUCKET, configs: [] }],
    });
    await s3.run();
    const endpoint = `http://127.0.0.1:${port}`;
    client = new S3Client({
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials: CREDENTIALS,
    });
    server = await startServer({
      ATTACHMENT_STORAGE: 's3',
      ATTACHMENT_S3_BUCKET: BUCKET,
      ATTACHMENT_S3_ENDPOINT: endpoint,
      ATTACHMENT_S3_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      ATTACHMENT_S3_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      ATTACHMENT_S3_FORCE_PATH_STYLE: 'true',
      ATTACHMENT_MAX_BYTES: String(MAX_BYTES),
      ATTACHMENT_SWEEP_INTERVAL_MS: '100',
    });
    admin = await createAccount('S3 Files');
    const inbox = await createInbox(server.http, admin);
    const contact = await createPublicContact(server.http, inbox, { name: 'Sam' });
    const conversationId = await createPublicConversation(server.http, inbox, contact);
    messagesPath = `${accountPath(admin)}/conversations/${conversationId}/messages`;
  });

  afterAll(async () => {
    await server?.stop();
    client?.destroy();
    await s3?.close();
    await isolation?.release();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('a file larger than one upload part goes to the bucket and comes back byte for byte', async () => {
    const file = randomBytes(6 * 1024 * 1024);
    const response = await server.http
      .post(messagesPath)
      .set('api_access_token', admin.token)
      .attach('attachments[]', file, 'archive.bin')
      .expect(201);
    const [attachment] = response.body.attachments;
    expect(attachment).toMatchObject({ file_type: 'file', file_size: file.length });
    const download = await server.http.get(pathOf(attachment.data_url)).buffer(true).parse(binary);
    expect(download.status).toBe(200);
    expect(download.headers['content-disposition']).toMatch(/^attachment;/);
    expect(Buffer.compare(download.body as Buffer, file)).toBe(0);
  });

  it('an image gets its thumbnail in the bucket', async () => {
    const image = await png(800, 600);
    const response = await server.http
      .post(messagesPath)
      .set('api_access_token', admin.token)
      .attach('attachments[]', image, 'photo.png')
      .expect(201);
    const [attachment] = response.body.attachments;
    await eventually(async () => {
      const { rows } = await testDatabase().query(
        `SELECT thumb_state, width FROM attachments WHERE id = $1`,
        [attachment.id],
      );
      expect(rows[0]).toEqual({ thumb_state: 'done', width: 800 });
    });
    const thumb = await server.http.get(pathOf(attachment.thumb_url)).buffer(true).parse(binary);
    expect(thumb.headers['content-type']).toBe('image/webp');
    expect((thumb.body as Buffer).length).toBeLessThan(image.length);
  });

  it('a file over the limit is 413 and leaves no object in the bucket', async () => {
    const before = await objectKeys();
    const response = await server.http
      .post(messagesPath)
      .set('api_access_token', admin.token)
      .attach('attachments[]', randomBytes(MAX_BYTES + 1), 'too-big.bin');
    expectProblem(response, 413, 'attachment_too_large');
    expect(await objectKeys()).toEqual(before);
  });

  it('deleting the message removes its objects from the bucket', async () => {
    const response = await server.http
      .post(messagesPath)
      .set('api_access_token', admin.token)
      .attach('attachments[]', await png(), 'deleted.png')
      .expect(201);
    const { rows } = await testDatabase().query(
      `SELECT storage_key FROM attachments WHERE id = $1`,
      [response.body.attachments[0].id],
    );
    const key: string = rows[0].storage_key;
    await eventually(async () => expect(await objectKeys()).toContain(`${key}.thumb`));
    await server.http
      .delete(`${messagesPath}/${response.body.id}`)
      .set('api_access_token', admin.token)
      .expect(200);
    await eventually(async () => {
      const keys = await objectKeys();
      expect(keys).not.toContain(key);
      expect(keys).not.toContain(`${key}.thumb`);
    });
  });
});
