import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { SUBSCRIBABLE_EVENTS } from './webhooks/index.js';

/**
 * `npm run webhooks:listen`: a local webhook receiver for development, in the spirit of
 * `stripe listen`. It listens on loopback, points a webhook of a running Conversa at itself,
 * verifies every request's signature with that webhook's secret and prints each event. Ctrl-C
 * removes the webhook it created, or gives the inbox back its previous webhook_url.
 */

const USAGE = `Usage: npm run webhooks:listen -- --token <token> [options]

Receives the webhooks of a running Conversa on this machine, verifies their signatures and
prints each event. The server must allow loopback targets (NODE_ENV=development does; otherwise
set WEBHOOK_ALLOWED_TARGETS=127.0.0.1 and restart it).

Options:
  --token <token>    an administrator's access token (or CONVERSA_TOKEN)
  --account <id>     the account (default: the token's account)
  --inbox <id>       point this API inbox's own webhook_url here (restored on exit);
                     without it, a temporary account webhook for every event is created
                     (removed on exit)
  --url <url>        the Conversa server (default: CONVERSA_URL or http://localhost:3000)
  --port <port>      the port to listen on (default: any free one)
  --body             also print each event's JSON body
  --no-test          do not send a webhook_test event at start
`;

class UsageError extends Error {}

class ApiError extends Error {}

interface Options {
  token: string;
  account?: number;
  inbox?: number;
  api: string;
  port: number;
  body: boolean;
  test: boolean;
}

function positive(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > 2_147_483_647)
    throw new UsageError(`--${name} must be a whole number, got "${value}"`);
  return number;
}

function options(argv: string[]): Options | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      token: { type: 'string' },
      account: { type: 'string' },
      inbox: { type: 'string' },
      url: { type: 'string' },
      port: { type: 'string' },
      body: { type: 'boolean', default: false },
      'no-test': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return null;
  const token = values.token ?? process.env.CONVERSA_TOKEN;
  if (!token) throw new UsageError('--token (or CONVERSA_TOKEN) is needed');
  const api = (values.url ?? process.env.CONVERSA_URL ?? 'http://localhost:3000').replace(
    /\/+$/,
    '',
  );
  if (!/^https?:\/\/\S+$/.test(api))
    throw new UsageError(`--url must be http(s)://host:port, got "${api}"`);
  const port = positive('port', values.port) ?? 0;
  if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
  return {
    token,
    account: positive('account', values.account),
    inbox: positive('inbox', values.inbox),
    api,
    port,
    body: values.body,
    test: !values['no-test'],
  };
}

/** Calls the Application API; a problem+json answer becomes an ApiError with its detail. */
async function call<T>(opts: Options, method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${opts.api}${path}`, {
      method,
      headers: {
        api_access_token: opts.token,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new ApiError(
      `cannot reach Conversa at ${opts.api} (${(error as Error).cause ?? (error as Error).message}); is the server running (npm start)? Use --url to point elsewhere.`,
    );
  }
  const text = await response.text();
  if (!response.ok) {
    let detail = text.slice(0, 500);
    try {
      const problem = JSON.parse(text) as { code?: string; detail?: string };
      if (problem.detail) detail = `${problem.code}: ${problem.detail}`;
    } catch {
      // not JSON: shown as is
    }
    throw new ApiError(`${method} ${path} answered ${response.status}: ${detail}`);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

/** What the listener registered, and how to undo it. */
interface Registration {
  secret: string;
  describe: string;
  sendTest(): Promise<unknown>;
  undo(): Promise<string>;
}

async function register(opts: Options, account: number, url: string): Promise<Registration> {
  const base = `/api/v1/accounts/${account}`;
  if (opts.inbox !== undefined) {
    const inbox = await call<{ webhook_url: string | null }>(
      opts,
      'GET',
      `${base}/inboxes/${opts.inbox}`,
    );
    const previous = inbox.webhook_url;
    await call(opts, 'PATCH', `${base}/inboxes/${opts.inbox}`, { channel: { webhook_url: url } });
    const webhook = await call<{ secret: string }>(
      opts,
      'GET',
      `${base}/inboxes/${opts.inbox}/webhook`,
    );
    return {
      secret: webhook.secret,
      describe: `Pointed the webhook_url of inbox ${opts.inbox} here (it was ${previous ?? 'unset'}); Ctrl-C restores it.`,
      sendTest: () => call(opts, 'POST', `${base}/inboxes/${opts.inbox}/webhook/test`),
      undo: async () => {
        await call(opts, 'PATCH', `${base}/inboxes/${opts.inbox}`, {
          channel: { webhook_url: previous },
        });
        return `Restored the webhook_url of inbox ${opts.inbox} (${previous ?? 'unset'}).`;
      },
    };
  }
  const events = await subscribableEvents(opts);
  const created = await call<{ payload: { webhook: { id: number; secret: string } } }>(
    opts,
    'POST',
    `${base}/webhooks`,
    { url, name: 'webhooks:listen', subscriptions: events },
  );
  const { id, secret } = created.payload.webhook;
  return {
    secret,
    describe: `Created account webhook ${id} for every event (${events.length} kinds); Ctrl-C removes it.`,
    sendTest: () => call(opts, 'POST', `${base}/webhooks/${id}/test`),
    undo: async () => {
      await call(opts, 'DELETE', `${base}/webhooks/${id}`);
      return `Removed account webhook ${id}.`;
    },
  };
}

/**
 * The events the server lets account webhooks subscribe to, from its API document: modules and
 * extensions register events as they load, so the server's list can be longer than what this
 * process has loaded (which is the fallback).
 */
async function subscribableEvents(opts: Options): Promise<string[]> {
  type Schema = {
    $ref?: string;
    properties?: Record<string, { items?: { enum?: string[] } }>;
  };
  try {
    const document = await call<{
      paths?: Record<
        string,
        Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> } }>
      >;
      components?: { schemas?: Record<string, Schema> };
    }>(opts, 'GET', '/docs-json');
    let schema =
      document.paths?.['/api/v1/accounts/{account_id}/webhooks']?.post?.requestBody?.content?.[
        'application/json'
      ]?.schema;
    if (schema?.$ref) schema = document.components?.schemas?.[schema.$ref.split('/').pop()!];
    const listed = schema?.properties?.subscriptions?.items?.enum;
    if (listed?.length) return listed;
  } catch {
    // an older or stripped-down server: use the list this build knows
  }
  return [...SUBSCRIBABLE_EVENTS];
}

function header(request: IncomingMessage, name: string): string {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

/** One line per event: when, type, event id, conversation and sequence. */
function describeEvent(event: Record<string, unknown>): string {
  const conversation =
    (event.conversation as { id?: unknown } | undefined)?.id ??
    (event.event === 'conversation_created' || String(event.event).startsWith('conversation_')
      ? event.id
      : undefined);
  return [
    new Date().toISOString(),
    String(event.event ?? '?').padEnd(22),
    `id=${event.event_id ?? '?'}`,
    `conversation=${conversation ?? '-'}`,
    `sequence=${event.sequence ?? '-'}`,
    'verified',
  ].join('  ');
}

async function listen(opts: Options): Promise<void> {
  // Set once the webhook is registered and its secret known; until then requests get 503.
  const state: { verifier?: Webhook } = {};
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const id = header(request, 'webhook-id');
      const verifier = state.verifier;
      if (!verifier) {
        response.writeHead(503).end();
        return;
      }
      let event: Record<string, unknown>;
      try {
        event = verifier.verify(raw, {
          'webhook-id': id,
          'webhook-timestamp': header(request, 'webhook-timestamp'),
          'webhook-signature': header(request, 'webhook-signature'),
        }) as Record<string, unknown>;
      } catch (error) {
        console.error(
          `${new Date().toISOString()}  REJECTED ${id || '(no webhook-id)'}: ${(error as Error).message}`,
        );
        response.writeHead(401, { 'content-type': 'text/plain' }).end('signature not verified');
        return;
      }
      process.stdout.write(`${describeEvent(event)}\n`);
      if (opts.body) process.stdout.write(`${JSON.stringify(event, null, 2)}\n`);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  out(`Listening on ${url}`);

  const registering = (async () => {
    const account =
      opts.account ??
      (await call<{ account_id: number }>(opts, 'GET', '/api/v1/profile')).account_id;
    return register(opts, account, url);
  })();
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    try {
      // Ctrl-C while registering: wait for it, so what was registered is undone too.
      const registration = await registering.catch(() => undefined);
      if (registration) out(await registration.undo());
    } catch (error) {
      console.error(`conversa: could not undo the registration: ${(error as Error).message}`);
      code = 1;
    }
    server.closeAllConnections();
    server.close();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  let registration: Registration;
  try {
    registration = await registering;
  } catch (error) {
    console.error(`conversa: ${(error as Error).message}`);
    await stop(1);
    return;
  }
  state.verifier = new Webhook(registration.secret);
  out(registration.describe);
  out('Each event is printed once its signature is verified. Ready.');
  if (opts.test) {
    await registration
      .sendTest()
      .catch((error: Error) => console.error(`conversa: test event not sent: ${error.message}`));
  }
}

/** Progress lines, apart from the events themselves. */
function out(line: string): void {
  process.stdout.write(`> ${line}\n`);
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  if (!opts) {
    process.stdout.write(USAGE);
    return;
  }
  await listen(opts);
}

main().catch((error: unknown) => {
  if (
    error instanceof UsageError ||
    (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
  ) {
    console.error(`conversa: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  console.error(error instanceof ApiError ? `conversa: ${error.message}` : error);
  process.exit(1);
});
