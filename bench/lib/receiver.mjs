// The webhook receiver: a plain node:http server in its own process (so the load generator does
// not delay it), driven over IPC. It records every request's arrival time with the fields the
// benchmark and the chaos checks need, and answers as the current mode says: 200, 500, 429 with
// Retry-After, 410, slowly, or not at all within the sender's timeout.
//
// Records are arrays (compact over IPC):
//   [arrivedAt, webhookId, event, sourceId, sentAt, streamKey, sequence, answered, acked, signature,
//    bodyHash, bodyEventId, objectId]
// sentAt is the wall-clock time the load generator wrote into the message content ("t=<ms>").
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout } from 'node:timers';
import { Webhook } from 'standardwebhooks';

const port = Number(process.argv[2]);
const wallNow = () => performance.timeOrigin + performance.now();

let mode = { status: 200, delayMs: 0, delayJitterMs: 0, hangMs: 0, retryAfter: null };
let verifier = null;
let keepBodies = false;
const records = [];
/** Per source_id prefix ("p3" of "p3-123"): distinct message sources acknowledged, last arrival. */
const progress = new Map();
const MESSAGE_TIME = /^t=(\d+(?:\.\d+)?)/;

const AT = 0;
const ACKED = 8;

function track(sourceId, arrivedAt) {
  const dash = sourceId.indexOf('-');
  const prefix = dash > 0 ? sourceId.slice(0, dash) : sourceId;
  let entry = progress.get(prefix);
  if (!entry) {
    entry = { seen: new Set(), lastAt: 0, firstAt: arrivedAt, arrivals: 0 };
    progress.set(prefix, entry);
  }
  entry.arrivals++;
  entry.seen.add(sourceId);
  entry.lastAt = Math.max(entry.lastAt, arrivedAt);
}

function handle(request, response, raw) {
  const arrivedAt = wallNow();
  let body = null;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    // recorded as an event without fields
  }
  const webhookId = request.headers['webhook-id'] ?? null;
  const event = body?.event ?? null;
  const sourceId =
    event === 'message_created' && typeof body.source_id === 'string' ? body.source_id : null;
  const sentAt =
    typeof body?.content === 'string' ? Number(body.content.match(MESSAGE_TIME)?.[1] ?? NaN) : NaN;
  const streamKey =
    body?.conversation?.id ?? (event?.startsWith('conversation_') ? body?.id : null) ?? null;
  let signature = null;
  if (verifier) {
    try {
      verifier.verify(raw.toString('utf8'), {
        'webhook-id': request.headers['webhook-id'],
        'webhook-timestamp': request.headers['webhook-timestamp'],
        'webhook-signature': request.headers['webhook-signature'],
      });
      signature = true;
    } catch {
      signature = false;
    }
  }
  const current = mode;
  const record = [
    arrivedAt,
    webhookId,
    event,
    sourceId,
    Number.isFinite(sentAt) ? sentAt : null,
    streamKey,
    typeof body?.sequence === 'number' ? body.sequence : null,
    current.status,
    false,
    signature,
    keepBodies ? createHash('sha1').update(raw).digest('base64') : null,
    body?.event_id ?? null,
    body?.id ?? null,
  ];
  records.push(record);

  const answer = () => {
    if (response.destroyed || request.socket.destroyed) return; // the sender gave up
    const headers = { 'content-type': 'text/plain' };
    if (current.retryAfter !== null) headers['retry-after'] = String(current.retryAfter);
    response.once('finish', () => {
      if (current.status >= 200 && current.status < 300) {
        record[ACKED] = true;
        if (sourceId) track(sourceId, record[AT]);
      }
    });
    response.writeHead(current.status, headers);
    response.end(current.status < 300 ? 'ok' : `mode ${current.status}`);
  };
  const wait = current.hangMs || current.delayMs + Math.random() * current.delayJitterMs;
  if (wait > 0) setTimeout(answer, wait);
  else answer();
}

const server = createServer(
  { keepAliveTimeout: 65_000, requestTimeout: 0, headersTimeout: 60_000 },
  (request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => handle(request, response, Buffer.concat(chunks)));
    request.on('error', () => {});
  },
);
server.keepAliveTimeout = 65_000;

const listening = new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));

const commands = {
  ready: () => listening.then(() => true),
  mode: ({ mode: next }) => {
    mode = { status: 200, delayMs: 0, delayJitterMs: 0, hangMs: 0, retryAfter: null, ...next };
    return mode;
  },
  verify: ({ secret, bodies }) => {
    verifier = secret ? new Webhook(secret) : null;
    keepBodies = Boolean(bodies);
    return true;
  },
  /** Records from index `from` on (fetch incrementally). */
  records: ({ from = 0 }) => ({ from, records: records.slice(from), total: records.length }),
  count: () => records.length,
  /** Distinct acknowledged message sources for a prefix, and the last arrival time. */
  progress: ({ prefix }) => {
    const entry = progress.get(prefix);
    return entry
      ? {
          distinct: entry.seen.size,
          arrivals: entry.arrivals,
          firstAt: entry.firstAt,
          lastAt: entry.lastAt,
        }
      : { distinct: 0, arrivals: 0, firstAt: 0, lastAt: 0 };
  },
  /** Latencies (arrival - sentAt, ms) of the first acknowledged arrival of each message of a prefix. */
  latencies: ({ prefix }) => {
    const first = new Map();
    const start = `${prefix}-`;
    for (const record of records) {
      if (
        !record[ACKED] ||
        record[3] === null ||
        record[4] === null ||
        !record[3].startsWith(start)
      )
        continue;
      if (!first.has(record[3])) first.set(record[3], record[AT] - record[4]);
    }
    return [...first.values()];
  },
  forget: ({ prefix }) => {
    progress.delete(prefix);
    return true;
  },
};

process.on('message', (message) => {
  Promise.resolve()
    .then(() => commands[message.cmd](message))
    .then(
      (result) => process.send({ id: message.id, result }),
      (error) => process.send({ id: message.id, error: String(error?.message ?? error) }),
    );
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
