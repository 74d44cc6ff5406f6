// The reference: a minimal hand-written Fastify + pg + Bull service doing the same
// ingest-and-deliver work as Conversa's Client API message create, with nothing else.
//
//   POST /public/api/v1/inboxes/:inbox/contacts/:source_id/conversations/:id/messages
//     1. resolves inbox + contact + conversation (one indexed join),
//     2. inserts the message (source_id deduplicated by the same unique index) and touches the
//        conversation's last_activity_at, in one statement,
//     3. enqueues one Bull job carrying the webhook body, answers 201 with the message.
//   A Bull worker in the same process signs the body (Standard Webhooks HMAC) and POSTs it to
//   the inbox's webhook_url over keep-alive connections; failures are retried by Bull.
//
// No auth, rate limiting, idempotency keys, outbox, ordering or attempt log: it is the floor
// a hand-written service could reach on this machine, to read Conversa's figures against.
import { createHmac, randomUUID } from 'node:crypto';
import Queue from 'bull';
import Fastify from 'fastify';
import pg from 'pg';
import { Agent, request } from 'undici';

const env = process.env;
const port = Number(env.PORT ?? 3100);
const pool = new pg.Pool({
  connectionString: env.DATABASE_URL,
  max: Number(env.DATABASE_POOL_SIZE ?? 10),
});
const queue = new Queue('webhooks', env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
  prefix: `${env.REDIS_PREFIX}:bull`,
});
const agent = new Agent({
  connections: 64,
  keepAliveTimeout: 30_000,
  headersTimeout: 15_000,
  bodyTimeout: 15_000,
});

const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });

const RESOLVE = `
  SELECT c.id, c.display_id, c.account_id, c.inbox_id, c.contact_id, w.url AS webhook_url,
         w.secret AS webhook_secret
    FROM inboxes i
    JOIN webhook_endpoints w ON w.kind = 'inbox' AND w.inbox_id = i.id
    JOIN contact_inboxes ci ON ci.inbox_id = i.id AND ci.source_id = $2
    JOIN conversations c ON c.contact_inbox_id = ci.id AND c.display_id = $3
   WHERE i.identifier = $1 AND i.deleted_at IS NULL`;

const INSERT = `
  WITH m AS (
    INSERT INTO messages (account_id, inbox_id, conversation_id, message_type, content, source_id, sender_type, sender_id)
    VALUES ($1, $2, $3, 0, $4, $5, 'contact', $6)
    ON CONFLICT (inbox_id, source_id) WHERE source_id IS NOT NULL DO NOTHING
    RETURNING id, created_at),
  touched AS (
    UPDATE conversations SET last_activity_at = now(), updated_at = now()
     WHERE id = $3 AND EXISTS (SELECT 1 FROM m))
  SELECT id, created_at FROM m`;

app.post(
  '/public/api/v1/inboxes/:inbox/contacts/:source/conversations/:id/messages',
  {
    schema: {
      params: {
        type: 'object',
        properties: {
          inbox: { type: 'string' },
          source: { type: 'string' },
          id: { type: 'integer', minimum: 1 },
        },
      },
      body: {
        type: 'object',
        required: ['content'],
        additionalProperties: false,
        properties: {
          content: { type: 'string', minLength: 1, maxLength: 150_000 },
          source_id: { type: 'string', maxLength: 255 },
        },
      },
    },
  },
  async (req, reply) => {
    const { inbox, source, id } = req.params;
    const { content, source_id: sourceId = null } = req.body;
    const {
      rows: [conversation],
    } = await pool.query(RESOLVE, [inbox, source, id]);
    if (!conversation) return reply.code(404).send({ code: 'conversation_not_found' });

    let {
      rows: [message],
    } = await pool.query(INSERT, [
      conversation.account_id,
      conversation.inbox_id,
      conversation.id,
      content,
      sourceId,
      conversation.contact_id,
    ]);
    if (!message) {
      ({
        rows: [message],
      } = await pool.query(
        `SELECT id, created_at, content FROM messages WHERE inbox_id = $1 AND source_id = $2`,
        [conversation.inbox_id, sourceId],
      ));
      return reply.code(201).send(view(message, conversation, message.content, sourceId));
    }
    const answer = view(message, conversation, content, sourceId);
    if (conversation.webhook_url) {
      await queue.add(
        {
          url: conversation.webhook_url,
          secret: conversation.webhook_secret,
          body: { event: 'message_created', ...answer, event_id: randomUUID() },
        },
        {
          removeOnComplete: true,
          removeOnFail: true,
          attempts: 8,
          backoff: { type: 'exponential', delay: 1_000 },
        },
      );
    }
    return reply.code(201).send(answer);
  },
);

app.get('/health', async () => ({ status: 'ok' }));

function view(message, conversation, content, sourceId) {
  return {
    id: Number(message.id),
    content,
    inbox_id: conversation.inbox_id,
    conversation_id: conversation.display_id,
    message_type: 0,
    content_type: 'text',
    status: 'sent',
    created_at: Math.floor(new Date(message.created_at).getTime() / 1000),
    private: false,
    source_id: sourceId,
    sender: { id: conversation.contact_id, type: 'contact' },
    conversation: { id: conversation.display_id },
  };
}

/** Standard Webhooks: v1,<base64 HMAC-SHA256 of "id.timestamp.body"> with the whsec_ key. */
function sign(secret, id, timestamp, body) {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

queue.process(Number(env.WEBHOOK_CONCURRENCY ?? 50), async (job) => {
  const { url, secret, body } = job.data;
  const payload = JSON.stringify(body);
  const timestamp = Math.floor(Date.now() / 1000);
  const response = await request(url, {
    method: 'POST',
    body: payload,
    dispatcher: agent,
    headers: {
      'content-type': 'application/json',
      'webhook-id': body.event_id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': sign(secret, body.event_id, timestamp, payload),
    },
  });
  await response.body.dump();
  if (response.statusCode >= 300) throw new Error(`receiver answered ${response.statusCode}`);
});

async function shutdown() {
  await app.close().catch(() => {});
  await queue.close().catch(() => {});
  await pool.end().catch(() => {});
  await agent.close().catch(() => {});
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

await app.listen({ port, host: '127.0.0.1' });
