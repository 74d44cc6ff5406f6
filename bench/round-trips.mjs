#!/usr/bin/env node
// Round trips per Client API request: runs the built app in this process, sends requests to it
// one at a time through Fastify's inject, and counts the PostgreSQL statements (pg Client.query
// calls, one round trip each) and Redis commands (ioredis sendCommand, every client) made in
// each request's own async chain: not the background pollers, nor the reactions to its events,
// which the unit of work publishes outside the request's context (the inbox has no webhook, so
// there is no fan-out to count anyway). Run after `npm run build`:
//   node bench/round-trips.mjs [--requests 20] [--hmac every_request] [--verbose]
import { AsyncLocalStorage } from 'node:async_hooks';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import {
  cleanRedisPrefixAtExit,
  createDatabase,
  log,
  runMain,
  runName,
  seedAccount,
  sleep,
  SHARED_REDIS_URL,
  withAdmin,
} from './lib/common.mjs';

const { values: options } = parseArgs({
  options: {
    requests: { type: 'string', default: '20' },
    hmac: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});

/** The request being counted, if any: its counters. */
const scope = new AsyncLocalStorage();

function countIn(kind, text) {
  const counter = scope.getStore();
  if (!counter) return;
  counter[kind]++;
  if (options.verbose) counter.log.push(`${kind}: ${text}`);
}

const pgQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, ...rest) {
  const text = typeof config === 'string' ? config : (config?.name ?? config?.text);
  countIn('pg', String(text).replace(/\s+/g, ' ').slice(0, 100));
  return pgQuery.call(this, config, ...rest);
};
const sendCommand = Redis.prototype.sendCommand;
Redis.prototype.sendCommand = function (command, ...rest) {
  countIn('redis', `${command.name} ${command.args?.slice(0, 2).join(' ')}`);
  return sendCommand.call(this, command, ...rest);
};

async function main() {
  const name = runName('bench');
  const databaseUrl = await createDatabase(name);
  cleanRedisPrefixAtExit(SHARED_REDIS_URL, name);
  const dist = new URL('../dist/src/', import.meta.url);
  const [{ createApp }, { validateEnvironment }, { prepareDatabase }] = await Promise.all([
    import(new URL('app.factory.js', dist).href),
    import(new URL('config/index.js', dist).href),
    import(new URL('database/index.js', dist).href),
  ]);
  const config = validateEnvironment({
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    REDIS_URL: SHARED_REDIS_URL,
    REDIS_PREFIX: name,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_IP: '1000000',
  });
  await prepareDatabase(config.DATABASE_URL);
  const app = await createApp(config, { logDestination: { write: () => undefined } });
  await app.init();
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.ready();
  try {
    const account = await withAdmin((db) => seedAccount(db, 'Round trips'), name);
    const call = async (method, url, payload, headers = {}) => {
      const response = await fastify.inject({ method, url, payload, headers });
      return { status: response.statusCode, body: response.json() };
    };
    const inboxBody = await call(
      'POST',
      `/api/v1/accounts/${account.accountId}/inboxes`,
      {
        name: 'Round trips',
        channel: {
          type: 'api',
          ...(options.hmac ? { hmac_mandatory: true, hmac_scope: options.hmac } : {}),
        },
      },
      { api_access_token: account.token },
    );
    if (inboxBody.status !== 201) throw new Error(JSON.stringify(inboxBody));
    const inbox = inboxBody.body;
    const identifier = 'round-trips-1';
    const { createHmac, randomUUID } = await import('node:crypto');
    const hash = createHmac('sha256', inbox.hmac_token ?? '')
      .update(identifier)
      .digest('hex');
    const query = options.hmac ? `?identifier_hash=${hash}` : '';
    const base = `/public/api/v1/inboxes/${inbox.inbox_identifier}`;
    const contact = await call('POST', `${base}/contacts`, {
      identifier,
      name: 'Counted',
      ...(options.hmac ? { identifier_hash: hash } : {}),
    });
    if (contact.status !== 201) throw new Error(JSON.stringify(contact));
    const conversations = `${base}/contacts/${contact.body.source_id}/conversations`;
    const conversation = await call('POST', `${conversations}${query}`, {});
    if (conversation.status !== 201) throw new Error(JSON.stringify(conversation));
    const path = `${conversations}/${conversation.body.id}`;

    const count = Number(options.requests);
    // `headers`: a request's headers, made anew for each (an Idempotency-Key must be new).
    const measure = async (label, method, url, payload, headers = () => ({})) => {
      // The first one warms the inbox cache and prepares statements on its connection.
      await call(method, url, payload, headers());
      const totals = { pg: 0, redis: 0 };
      for (let index = 0; index < count; index++) {
        const counter = { pg: 0, redis: 0, log: [] };
        const response = await scope.run(counter, () => call(method, url, payload, headers()));
        if (response.status >= 300) throw new Error(`${label}: ${JSON.stringify(response)}`);
        // Let anything the request left running in its chain finish before the next one.
        await sleep(50);
        totals.pg += counter.pg;
        totals.redis += counter.redis;
        if (options.verbose && index === 0) console.log(label, counter.log);
      }
      return { request: label, pg: totals.pg / count, redis: totals.redis / count };
    };
    const rows = [
      await measure('GET conversation', 'GET', `${path}${query}`),
      await measure('GET messages', 'GET', `${path}/messages${query}`),
      await measure('POST message', 'POST', `${path}/messages${query}`, { content: 'Counted' }),
      await measure(
        'POST message, Idempotency-Key',
        'POST',
        `${path}/messages${query}`,
        { content: 'Counted' },
        () => ({ 'idempotency-key': randomUUID() }),
      ),
    ];
    log(`round trips per Client API request (mean of ${count}, inbox cache warm):`);
    console.table(rows);
  } finally {
    await app.close();
  }
}

await runMain(main);
