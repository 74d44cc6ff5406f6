import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import {
  accountPath,
  createInbox,
  createPublicContact,
  createPublicConversation,
  publicPath,
} from './support/api-channel.js';
import type { TestContact, TestInbox } from './support/api-channel.js';
import { binary, FileServer, pathOf, png, signedPath } from './support/attachments.js';
import { testDatabase } from './support/database.js';
import { eventually } from './support/eventually.js';
import { createAccount } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { expectProblem } from './support/problems.js';
import { startServer } from './support/server.js';
import type { TestServer } from './support/server.js';
import { FAST_WEBHOOKS, isolate, Receiver } from './support/webhooks.js';
import type { Isolation } from './support/webhooks.js';

const SECRET = 'attachments-e2e-signing-secret-0123456789';
const MAX_BYTES = 300_000;
const MAX_FILES = 3;

interface Attachment {
  id: number;
  message_id: number;
  file_type: string;
  account_id: number;
  extension: string | null;
  data_url: string;
  thumb_url: string;
  file_size: number;
  width: number | null;
  height: number | null;
}

/**
 * Attachments end to end on local disk storage: multipart uploads on the three creates, the
 * limits, signed downloads that never run active content, webhooks that carry the files, and
 * deletion that removes them.
 */
describe('Attachments (local storage)', () => {
  let isolation: Isolation;
  let server: TestServer;
  let permissive: TestServer;
  let receiver: Receiver;
  let files: FileServer;
  let directory: string;
  let admin: TestAccount;
  let inbox: TestInbox;
  let contact: TestContact;
  let conversationId: number;
  let image: Buffer;

  const messagesPath = () => `${accountPath(admin)}/conversations/${conversationId}/messages`;
  const publicMessagesPath = () =>
    `${publicPath(inbox.identifier)}/contacts/${contact.sourceId}/conversations/${conversationId}/messages`;

  async function download(url: string, on = server) {
    return on.http.get(pathOf(url)).buffer(true).parse(binary);
  }

  async function storedFiles(): Promise<string[]> {
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

  async function attachmentRows(): Promise<number> {
    const { rows } = await testDatabase().query(`SELECT count(*)::int AS n FROM attachments`);
    return rows[0].n;
  }

  beforeAll(async () => {
    isolation = await isolate('attachments');
    directory = await mkdtemp(join(tmpdir(), 'conversa-attachments-'));
    receiver = await Receiver.start();
    files = await FileServer.start();
    const env = {
      ...FAST_WEBHOOKS,
      ATTACHMENT_DIR: directory,
      ATTACHMENT_MAX_BYTES: String(MAX_BYTES),
      ATTACHMENT_MAX_FILES: String(MAX_FILES),
      ATTACHMENT_SIGNING_SECRET: SECRET,
      ATTACHMENT_SWEEP_INTERVAL_MS: '100',
      ATTACHMENT_FETCH_TIMEOUT_MS: '500',
    };
    server = await startServer(env);
    // The same deployment with no type refused: what it serves must still never run.
    permissive = await startServer({ ...env, ATTACHMENT_DENIED_TYPES: 'none' });
    admin = await createAccount('Files');
    inbox = await createInbox(server.http, admin, { webhook_url: receiver.url() });
    contact = await createPublicContact(server.http, inbox, { name: 'Casey' });
    conversationId = await createPublicConversation(server.http, inbox, contact);
    image = await png();
  });

  afterAll(async () => {
    await server?.stop();
    await permissive?.stop();
    await receiver?.close();
    await files?.close();
    await isolation?.release();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  describe('upload and download', () => {
    let reply: Response;

    beforeAll(async () => {
      reply = await server.http
        .post(messagesPath())
        .set('api_access_token', admin.token)
        .field('content', 'Here is the photo')
        .field('private', 'false')
        .attach('attachments[]', image, { filename: 'parcel.png', contentType: 'image/png' });
    });

    it('an agent reply with a file answers 201 with the attachment in Chatwoot shape', () => {
      expect(reply.status).toBe(201);
      expect(reply.body.content).toBe('Here is the photo');
      expect(reply.body.attachments).toHaveLength(1);
      const [attachment] = reply.body.attachments as Attachment[];
      expect(attachment).toMatchObject({
        message_id: reply.body.id,
        file_type: 'image',
        account_id: admin.accountId,
        extension: 'png',
        file_size: image.length,
      });
      expect(attachment.data_url).toMatch(/\/attachments\/\d+\?expires=\d+&signature=/);
      expect(attachment.thumb_url).toMatch(/\/attachments\/\d+\/thumb\?expires=\d+&signature=/);
    });

    it('data_url serves the same bytes without a token, as its detected type, never sniffed', async () => {
      const [attachment] = reply.body.attachments as Attachment[];
      const file = await download(attachment.data_url);
      expect(file.status).toBe(200);
      expect(Buffer.compare(file.body as Buffer, image)).toBe(0);
      expect(file.headers['content-type']).toBe('image/png');
      expect(file.headers['x-content-type-options']).toBe('nosniff');
      expect(file.headers['content-security-policy']).toContain('sandbox');
      expect(file.headers['content-disposition']).toMatch(/^inline; filename="parcel.png"/);
    });

    it('the thumbnail is made in the background, and width and height appear', async () => {
      const [attachment] = reply.body.attachments as Attachment[];
      await eventually(async () => {
        const page = await server.http
          .get(messagesPath())
          .set('api_access_token', admin.token)
          .expect(200);
        const listed = page.body.payload.find((m: { id: number }) => m.id === reply.body.id);
        expect(listed.attachments[0]).toMatchObject({ width: 600, height: 400 });
      });
      const thumb = await download(attachment.thumb_url);
      expect(thumb.status).toBe(200);
      expect(thumb.headers['content-type']).toBe('image/webp');
      expect((thumb.body as Buffer).length).toBeLessThan(image.length);
    });

    it('the message_created webhook carries the attachment as a downloadable URL', async () => {
      const event = await eventually(() => {
        const found = receiver
          .events('message_created')
          .find((request) => request.body.id === reply.body.id);
        expect(found).toBeDefined();
        return found!;
      });
      const [attachment] = event.body.attachments as Attachment[];
      expect(attachment).toMatchObject({ id: reply.body.attachments[0].id, file_type: 'image' });
      const file = await download(attachment.data_url);
      expect(Buffer.compare(file.body as Buffer, image)).toBe(0);
    });

    it('the event feed signs the URLs when it is read', async () => {
      // The feed shows an event once no older transaction on the cluster is still open (other
      // test files' databases share it), so under a loaded run this can take a while.
      await eventually(
        async () => {
          const feed = await server.http
            .get(`${accountPath(admin)}/events`)
            .query({ conversation_id: conversationId })
            .set('api_access_token', admin.token)
            .expect(200);
          const event = (
            feed.body.payload as { id: number; event: string; attachments?: Attachment[] }[]
          ).find((body) => body.event === 'message_created' && body.id === reply.body.id);
          expect(event?.attachments?.[0].data_url).toMatch(/signature=/);
        },
        { timeoutMs: 30_000 },
      );
    });
  });

  it('a text-only multipart message (as the SDKs send) is a message like its JSON form', async () => {
    const response = await server.http
      .post(messagesPath())
      .set('api_access_token', admin.token)
      .field('content', 'Text only, as multipart')
      .field('message_type', 'outgoing')
      .expect(201);
    expect(response.body).toMatchObject({ content: 'Text only, as multipart', attachments: [] });
  });

  it('an Idempotency-Key covers the multipart text fields like a JSON body', async () => {
    const key = `attachments-${Date.now()}`;
    const send = (content: string) =>
      server.http
        .post(messagesPath())
        .set('api_access_token', admin.token)
        .set('Idempotency-Key', key)
        .field('content', content);
    const first = await send('Once');
    expect(first.status).toBe(201);
    const replay = await send('Once');
    expect(replay.body.id).toBe(first.body.id);
    expectProblem(await send('Something else'), 422, 'idempotency_key_reused');
  });

  it('a multipart text field is validated exactly as in JSON', async () => {
    const response = await server.http
      .post(messagesPath())
      .set('api_access_token', admin.token)
      .field('content', 'x')
      .field('message_type', 'sideways');
    expectProblem(response, 422, 'validation_failed');
  });

  it('a message may be a file alone; without content and files it is refused', async () => {
    const alone = await server.http
      .post(messagesPath())
      .set('api_access_token', admin.token)
      .attach('attachments[]', Buffer.from('%PDF-1.4\n%EOF\n'), 'invoice.pdf')
      .expect(201);
    expect(alone.body.content).toBeNull();
    expect(alone.body.attachments[0]).toMatchObject({ file_type: 'file', extension: 'pdf' });
    const empty = await server.http
      .post(messagesPath())
      .set('api_access_token', admin.token)
      .send({});
    expectProblem(empty, 422, 'validation_failed');
  });

  it('a contact posts a photo through the Client API', async () => {
    const response = await server.http
      .post(publicMessagesPath())
      .field('content', 'My parcel arrived broken')
      .attach('attachments[]', image, 'broken.png')
      .expect(201);
    expect(response.body.message_type).toBe(0);
    expect(response.body.attachments[0]).toMatchObject({
      file_type: 'image',
      file_size: image.length,
    });
    const file = await download(response.body.attachments[0].data_url);
    expect(Buffer.compare(file.body as Buffer, image)).toBe(0);
  });

  it('a conversation opens with a first message holding message[attachments][]', async () => {
    const response = await server.http
      .post(`${accountPath(admin)}/conversations`)
      .set('api_access_token', admin.token)
      .field('inbox_id', String(inbox.id))
      .field('source_id', contact.sourceId)
      .field('message[content]', 'Your invoice')
      .attach('message[attachments][]', image, 'invoice.png');
    // Multipart values are text: the numeric inbox_id must be accepted as its JSON form is.
    expect(response.status).toBe(201);
    expect(response.body.messages[0].attachments[0]).toMatchObject({ file_type: 'image' });
  });

  describe('limits, each with its problem, leaving nothing behind', () => {
    it('a file over ATTACHMENT_MAX_BYTES is 413', async () => {
      const before = await attachmentRows();
      const response = await server.http
        .post(messagesPath())
        .set('api_access_token', admin.token)
        .attach('attachments[]', Buffer.alloc(MAX_BYTES + 1, 'a'), 'big.txt');
      expectProblem(response, 413, 'attachment_too_large');
      expect(await attachmentRows()).toBe(before);
    });

    it('a file of exactly ATTACHMENT_MAX_BYTES is accepted', async () => {
      await server.http
        .post(messagesPath())
        .set('api_access_token', admin.token)
        .attach('attachments[]', Buffer.alloc(MAX_BYTES, 'a'), 'exact.txt')
        .expect(201);
    });

    it('more than ATTACHMENT_MAX_FILES files is 422', async () => {
      const before = await attachmentRows();
      let request = server.http.post(messagesPath()).set('api_access_token', admin.token);
      for (let index = 0; index <= MAX_FILES; index += 1) {
        request = request.attach('attachments[]', Buffer.from(`note ${index}`), `n${index}.txt`);
      }
      expectProblem(await request, 422, 'too_many_attachments');
      expect(await attachmentRows()).toBe(before);
    });

    it('active content is refused by type, as its bytes tell, whatever the client declares', async () => {
      const html = await server.http
        .post(messagesPath())
        .set('api_access_token', admin.token)
        .attach('attachments[]', Buffer.from('<html><script>alert(1)</script></html>'), {
          filename: 'photo.png',
          contentType: 'image/png',
        });
      expect(expectProblem(html, 422, 'attachment_type_not_allowed').detail).toContain('text/html');
      const svg = await server.http
        .post(publicMessagesPath())
        .attach(
          'attachments[]',
          Buffer.from(
            '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
          ),
          'logo.svg',
        );
      expectProblem(svg, 422, 'attachment_type_not_allowed');
    });

    it('a file part under another name is 422, and files on a route that takes none too', async () => {
      const wrongName = await server.http
        .post(messagesPath())
        .set('api_access_token', admin.token)
        .attach('file', image, 'a.png');
      expectProblem(wrongName, 422, 'unexpected_file');
      const noFiles = await server.http
        .post(`${accountPath(admin)}/contacts`)
        .set('api_access_token', admin.token)
        .field('name', 'Avatar Person')
        .attach('avatar', image, 'a.png');
      expectProblem(noFiles, 422, 'unexpected_file');
    });

    it('a request that fails after its upload (no such conversation) leaves no file', async () => {
      const rowsBefore = await attachmentRows();
      const filesBefore = (await storedFiles()).length;
      const response = await server.http
        .post(`${accountPath(admin)}/conversations/999999/messages`)
        .set('api_access_token', admin.token)
        .attach('attachments[]', image, 'lost.png');
      expect(response.status).toBe(404);
      expect(await attachmentRows()).toBe(rowsBefore);
      expect((await storedFiles()).length).toBe(filesBefore);
    });

    it('a malformed multipart body is 400, not a 500', async () => {
      const response = await server.http
        .post(messagesPath())
        .set('api_access_token', admin.token)
        .set('content-type', 'multipart/form-data; boundary=xyz')
        .send('--xyz\r\nContent-Disposition: form-data; name="content"\r\n\r\nhalf a body');
      expect([400, 422]).toContain(response.status);
      expect(response.headers['content-type']).toContain('application/problem+json');
    });

    it('an upload token that names no upload is 422', async () => {
      const response = await server.http
        .post(messagesPath())
        .set('api_access_token', admin.token)
        .send({ attachments: ['6f1c9a9e-8c1b-4f55-9a55-0c3b6c3e2f10'] });
      expectProblem(response, 422, 'unknown_upload');
    });
  });

  describe('external_url', () => {
    it('a URL in JSON attachments is fetched under the SSRF policy and stored', async () => {
      files.files.set('/photo.png', { body: image });
      const response = await server.http
        .post(messagesPath())
        .set('api_access_token', admin.token)
        .send({ content: 'From our CDN', attachments: [files.url('/photo.png')] })
        .expect(201);
      expect(response.body.attachments[0]).toMatchObject({ file_type: 'image', extension: 'png' });
      const file = await download(response.body.attachments[0].data_url);
      expect(Buffer.compare(file.body as Buffer, image)).toBe(0);
    });

    it('too large, too slow or missing: a clear problem each', async () => {
      files.files.set('/big.bin', { body: Buffer.alloc(MAX_BYTES + 10, 1) });
      files.files.set('/slow.png', { body: image, delayMs: 2_000 });
      const post = (url: string) =>
        server.http
          .post(messagesPath())
          .set('api_access_token', admin.token)
          .send({ attachments: [url] });
      expectProblem(await post(files.url('/big.bin')), 413, 'attachment_too_large');
      expectProblem(await post(files.url('/slow.png')), 422, 'attachment_url_failed');
      expectProblem(await post(files.url('/none.png')), 422, 'attachment_url_failed');
    });
  });

  describe('signed URLs', () => {
    let attachment: Attachment;

    beforeAll(async () => {
      const response = await server.http
        .post(messagesPath())
        .set('api_access_token', admin.token)
        .attach('attachments[]', image, 'signed.png')
        .expect(201);
      attachment = response.body.attachments[0];
    });

    it('an expired URL is 403 attachment_url_expired', async () => {
      const past = Math.floor(Date.now() / 1000) - 10;
      const response = await server.http.get(signedPath(SECRET, attachment.id, 'file', past));
      expectProblem(response, 403, 'attachment_url_expired');
    });

    it('a URL signed for another attachment, variant or expiry is 403 attachment_url_invalid', async () => {
      const url = new URL(attachment.data_url);
      const otherId = url.pathname.replace(/\d+$/, String(attachment.id + 1));
      expectProblem(
        await server.http.get(`${otherId}${url.search}`),
        403,
        'attachment_url_invalid',
      );
      const thumbWithFileSignature = `${url.pathname}/thumb`;
      expectProblem(
        await server.http.get(`${thumbWithFileSignature}${url.search}`),
        403,
        'attachment_url_invalid',
      );
      const later = url.search.replace(/expires=(\d+)/, (_, n) => `expires=${Number(n) + 1000}`);
      expectProblem(
        await server.http.get(`${url.pathname}${later}`),
        403,
        'attachment_url_invalid',
      );
      expectProblem(await server.http.get(url.pathname), 403, 'attachment_url_invalid');
    });
  });

  describe('active content never runs on this origin', () => {
    const cases = [
      [
        'page.html',
        '<!doctype html><html><body><script>alert(document.cookie)</script></body></html>',
        'text/html',
      ],
      [
        'logo.svg',
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>',
        'image/svg+xml',
      ],
      [
        'feed.xml',
        '<?xml version="1.0"?><x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script>',
        'application/xml',
      ],
    ] as const;

    it.each(cases)(
      '%s is served as a download, sandboxed, never sniffed',
      async (name, body, type) => {
        const response = await permissive.http
          .post(messagesPath())
          .set('api_access_token', admin.token)
          .attach('attachments[]', Buffer.from(body), { filename: name, contentType: 'image/png' })
          .expect(201);
        const file = await download(response.body.attachments[0].data_url, permissive);
        expect(file.status).toBe(200);
        expect(file.headers['content-type']).toBe(type);
        expect(file.headers['content-disposition']).toMatch(/^attachment;/);
        expect(file.headers['x-content-type-options']).toBe('nosniff');
        expect(file.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
      },
    );
  });

  describe('deletion removes the files in the background', () => {
    async function upload(): Promise<{ messageId: number; attachmentId: number }> {
      const response = await server.http
        .post(messagesPath())
        .set('api_access_token', admin.token)
        .attach('attachments[]', image, 'gone.png')
        .expect(201);
      return { messageId: response.body.id, attachmentId: response.body.attachments[0].id };
    }

    async function expectGone(attachmentId: number) {
      await eventually(async () => {
        const { rows } = await testDatabase().query(`SELECT 1 FROM attachments WHERE id = $1`, [
          attachmentId,
        ]);
        expect(rows).toHaveLength(0);
      });
    }

    it('deleting a message removes its files', async () => {
      const { messageId, attachmentId } = await upload();
      const filesBefore = (await storedFiles()).length;
      const deleted = await server.http
        .delete(`${messagesPath()}/${messageId}`)
        .set('api_access_token', admin.token)
        .expect(200);
      expect(deleted.body.attachments).toEqual([]);
      await expectGone(attachmentId);
      expect((await storedFiles()).length).toBeLessThan(filesBefore);
    });

    it('deleting a contact removes the files of its conversations', async () => {
      const other = await createPublicContact(server.http, inbox, { name: 'Leaving' });
      const otherConversation = await createPublicConversation(server.http, inbox, other);
      const response = await server.http
        .post(
          `${publicPath(inbox.identifier)}/contacts/${other.sourceId}/conversations/${otherConversation}/messages`,
        )
        .attach('attachments[]', image, 'contact.png')
        .expect(201);
      await server.http
        .delete(`${accountPath(admin)}/contacts/${other.id}`)
        .set('api_access_token', admin.token)
        .expect((answer) => expect(answer.status).toBeLessThan(300));
      await expectGone(response.body.attachments[0].id);
    });

    it('deleting an inbox removes the files of its messages (after its purge)', async () => {
      const doomed = await createInbox(server.http, admin);
      const someone = await createPublicContact(server.http, doomed, { name: 'Purged' });
      const purgedConversation = await createPublicConversation(server.http, doomed, someone);
      const response = await server.http
        .post(
          `${publicPath(doomed.identifier)}/contacts/${someone.sourceId}/conversations/${purgedConversation}/messages`,
        )
        .attach('attachments[]', image, 'inbox.png')
        .expect(201);
      await server.http
        .delete(`${accountPath(admin)}/inboxes/${doomed.id}`)
        .set('api_access_token', admin.token)
        .expect((answer) => expect(answer.status).toBeLessThan(300));
      await expectGone(response.body.attachments[0].id);
    });
  });
});
