// The upload memory scenario (npm run bench -- --uploads): ten 40 MB files uploaded at once as
// multipart/form-data to the Application API message create, while the server's RSS is sampled.
// The figure is the peak RSS during the uploads minus the idle RSS before them: uploads stream
// to storage, so it must stay far below the 400 MB the files add up to (target: within 100 MB).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ReadableStream } from 'node:stream/web';
import {
  api,
  createConversations,
  createInbox,
  expectStatus,
  log,
  onCleanup,
  round,
  sampleMemory,
  seedAccount,
  sleep,
} from './common.mjs';

const { AbortSignal } = globalThis;

export const UPLOADS = { files: 10, bytes: 40 * 1024 * 1024 };

/** A multipart body with one file part of `size` bytes, generated as it is sent. */
function multipartStream(boundary, size) {
  const chunk = randomBytes(64 * 1024);
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="content"\r\n\r\nbench upload\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="attachments[]"; filename="bench.bin"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  let sent = 0;
  let stage = 'head';
  return new ReadableStream({
    pull(controller) {
      if (stage === 'head') {
        controller.enqueue(head);
        stage = 'file';
      } else if (stage === 'file') {
        const length = Math.min(chunk.length, size - sent);
        controller.enqueue(chunk.subarray(0, length));
        sent += length;
        if (sent >= size) stage = 'tail';
      } else {
        controller.enqueue(tail);
        controller.close();
      }
    },
  });
}

async function upload(base, account, path) {
  const boundary = `bench${randomBytes(8).toString('hex')}`;
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      api_access_token: account.token,
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
    body: multipartStream(boundary, UPLOADS.bytes),
    duplex: 'half',
    signal: AbortSignal.timeout(300_000),
  });
  const body = await response.json();
  return { status: response.status, size: body.attachments?.[0]?.file_size };
}

/** Settings for the server of this scenario: its own attachment directory. */
export function uploadServerEnv() {
  const directory = mkdtempSync(join(tmpdir(), 'conversa-bench-uploads-'));
  onCleanup('remove bench attachments', () => rmSync(directory, { recursive: true, force: true }));
  return { ATTACHMENT_DIR: directory };
}

/** Runs the scenario against a started server; answers the figures. */
export async function uploadSuite(server, db) {
  const account = await seedAccount(db, 'Bench uploads');
  const inbox = await createInbox(server.url, account, 'Bench uploads');
  const [conversation] = await createConversations(server.url, inbox, 1, 'uploads');
  const path = `/api/v1/accounts/${account.accountId}/conversations/${conversation.displayId}/messages`;
  // Warm the message path once (JIT, pools), then let the heap settle before the idle sample.
  await expectStatus(
    () => api(server.url, 'POST', path, { token: account.token, body: { content: 'warm up' } }),
    201,
    'warm-up message',
  );
  await sleep(3_000);
  const memory = sampleMemory(server.pid, 50);
  await sleep(1_000);
  const idleRssMb = memory.phase();
  log(
    `idle RSS ${idleRssMb} MB; uploading ${UPLOADS.files} files of ${UPLOADS.bytes} bytes at once`,
  );
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: UPLOADS.files }, () => upload(server.url, account, path)),
  );
  const durationS = (performance.now() - started) / 1000;
  const peakRssMb = memory.phase();
  memory.stop();
  const stored = results.filter((result) => result.status === 201 && result.size === UPLOADS.bytes);
  if (stored.length !== UPLOADS.files) {
    throw new Error(`uploads failed: ${JSON.stringify(results)}`);
  }
  return {
    files: UPLOADS.files,
    bytes_each: UPLOADS.bytes,
    idle_rss_mb: idleRssMb,
    peak_rss_mb: peakRssMb,
    rss_over_idle_mb: peakRssMb - idleRssMb,
    duration_s: round(durationS, 1),
    mb_per_s: round((UPLOADS.files * UPLOADS.bytes) / 1024 / 1024 / durationS, 1),
  };
}
