// Counts what a service asks of PostgreSQL and Redis, from outside it: two TCP proxies, in a
// child process of their own, that pass every byte through unchanged and read the protocols on
// the way.
//
//   PostgreSQL (protocol 3): a request is a simple-protocol Query ('Q'), an extended-protocol Sync
//   ('S', which ends a Parse/Bind/Describe/Execute pipeline) or a FunctionCall ('F'); the server
//   answers each with one ReadyForQuery ('Z'). A round trip is a request sent while none is
//   awaiting its answer on that connection, so requests pipelined behind one another share one
//   (with node-pg, which never pipelines, round trips and requests are equal). A statement is a
//   Query or an Execute ('E'), and is also tallied under its SQL text (a named prepared
//   statement's text comes from its Parse on that connection), so the report can say which
//   statements a message costs.
//   Redis (RESP): every command (a top-level array, or an inline command) is counted, by name.
//
// The service is pointed at the proxies (DATABASE_URL / REDIS_URL) for a dedicated counting
// phase only: the extra hop costs latency and a little CPU, so throughput phases run without it.
// Nothing here understands TLS: the bench's servers are on 127.0.0.1 without it (a proxied
// connection that negotiates TLS is passed through and no longer parsed).
import { fork } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { onCleanup } from './common.mjs';

const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
/** Longest SQL text kept as a statement's key in the tally. */
const SQL_KEY_LENGTH = 160;

function freshCounts() {
  return {
    postgres: {
      connections: 0,
      round_trips: 0,
      requests: 0,
      statements: 0,
      by_statement: new Map(),
    },
    redis: { connections: 0, commands: 0, by_command: new Map() },
  };
}

let counts = freshCounts();

const bump = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);

const sqlKey = (text) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > SQL_KEY_LENGTH ? `${flat.slice(0, SQL_KEY_LENGTH)}…` : flat;
};

/** A NUL-terminated string at `offset` of `buffer`: [text, offset after the NUL]. */
function cString(buffer, offset, end) {
  const nul = buffer.indexOf(0, offset);
  const stop = nul < 0 || nul > end ? end : nul;
  return [buffer.toString('utf8', offset, stop), stop + 1];
}

/**
 * Reads one PostgreSQL connection as it streams past: the client's messages (fromClient) and,
 * of the server's, only the ReadyForQuery that ends each request (fromServer).
 */
function postgresReader() {
  let pending = null;
  let startup = true;
  let opaque = false; // TLS or something else we do not parse
  const prepared = new Map(); // statement name -> SQL key
  let bound = null;
  let awaiting = 0; // requests sent, not yet answered by ReadyForQuery
  let encryptionAnswers = 0; // one-byte answers to SSLRequest / GSSENCRequest still to come

  const request = () => {
    counts.postgres.requests++;
    if (awaiting === 0) counts.postgres.round_trips++;
    awaiting++;
  };

  const message = (type, buffer, start, end) => {
    const pg = counts.postgres;
    switch (type) {
      case 0x51: {
        // 'Q' simple query
        request();
        pg.statements++;
        bump(pg.by_statement, sqlKey(cString(buffer, start, end)[0]));
        break;
      }
      case 0x50: {
        // 'P' parse: name, query
        const [name, next] = cString(buffer, start, end);
        prepared.set(name, sqlKey(cString(buffer, next, end)[0]));
        break;
      }
      case 0x42: {
        // 'B' bind: portal, statement
        const [, next] = cString(buffer, start, end);
        bound = prepared.get(cString(buffer, next, end)[0]) ?? '(unknown statement)';
        break;
      }
      case 0x45: // 'E' execute
        pg.statements++;
        bump(pg.by_statement, bound ?? '(unknown statement)');
        break;
      case 0x53: // 'S' sync
      case 0x46: // 'F' function call
        request();
        break;
      case 0x43: {
        // 'C' close: a closed statement name may be parsed again with other text
        if (buffer[start] === 0x53) prepared.delete(cString(buffer, start + 1, end)[0]);
        break;
      }
      default:
    }
  };

  // The server side: only message boundaries, types and ReadyForQuery; bodies are skipped.
  const header = Buffer.alloc(5);
  let headerFill = 0;
  let bodyLeft = 0;
  const fromServer = (chunk) => {
    let at = 0;
    while (at < chunk.length && !opaque) {
      if (encryptionAnswers > 0 && headerFill === 0 && bodyLeft === 0) {
        encryptionAnswers--;
        if (chunk[at] !== 0x4e) opaque = true; // 'N': no encryption
        at++;
        continue;
      }
      if (bodyLeft > 0) {
        const skipped = Math.min(bodyLeft, chunk.length - at);
        bodyLeft -= skipped;
        at += skipped;
        continue;
      }
      const copied = Math.min(5 - headerFill, chunk.length - at);
      chunk.copy(header, headerFill, at, at + copied);
      headerFill += copied;
      at += copied;
      if (headerFill < 5) break;
      headerFill = 0;
      bodyLeft = header.readInt32BE(1) - 4;
      if (header[0] === 0x5a && awaiting > 0) awaiting--; // 'Z' ReadyForQuery
    }
  };

  const fromClient = (chunk) => {
    if (opaque) return;
    let buffer = pending ? Buffer.concat([pending, chunk]) : chunk;
    let offset = 0;
    for (;;) {
      if (startup) {
        // Untyped: int32 length (itself included), int32 code.
        if (buffer.length - offset < 8) break;
        const length = buffer.readInt32BE(offset);
        if (buffer.length - offset < length) break;
        const code = buffer.readInt32BE(offset + 4);
        offset += length;
        if (code === SSL_REQUEST || code === GSS_REQUEST) {
          // The server answers one byte; after 'N' comes a plain startup message (after 'S' or
          // 'G', encryption: fromServer then stops reading both sides).
          encryptionAnswers++;
          continue;
        }
        if (code === CANCEL_REQUEST) {
          opaque = true;
          return;
        }
        if (code >> 16 !== 3) {
          opaque = true;
          return;
        }
        startup = false;
        counts.postgres.connections++;
        continue;
      }
      if (buffer.length - offset < 5) break;
      const length = buffer.readInt32BE(offset + 1);
      if (length < 4) {
        opaque = true;
        return;
      }
      if (buffer.length - offset < 1 + length) break;
      message(buffer[offset], buffer, offset + 5, offset + 1 + length);
      offset += 1 + length;
    }
    pending = offset < buffer.length ? buffer.subarray(offset) : null;
    // Keep a copy only of the unread tail, not of the whole chunk it came from.
    if (pending && pending.length < 64 * 1024) pending = Buffer.from(pending);
    buffer = null;
  };
  return { fromClient, fromServer };
}

/** Reads one Redis client connection's commands as they stream past. */
function redisReader() {
  let pending = null;
  const CR = 0x0d;

  /** Parses one command at `offset`: [name, next offset] or null when incomplete. */
  const command = (buffer, offset) => {
    if (buffer[offset] !== 0x2a) {
      // inline command: a line of words
      const eol = buffer.indexOf('\r\n', offset);
      if (eol < 0) return null;
      const name = buffer.toString('latin1', offset, eol).trim().split(/\s+/)[0] ?? '';
      return [name.toUpperCase(), eol + 2];
    }
    let eol = buffer.indexOf(CR, offset);
    if (eol < 0 || eol + 1 >= buffer.length) return null;
    const items = Number(buffer.toString('latin1', offset + 1, eol));
    let at = eol + 2;
    let name = '';
    for (let item = 0; item < items; item++) {
      if (at >= buffer.length) return null;
      eol = buffer.indexOf(CR, at);
      if (eol < 0 || eol + 1 >= buffer.length) return null;
      const length = Number(buffer.toString('latin1', at + 1, eol));
      const start = eol + 2;
      if (buffer.length < start + length + 2) return null;
      if (item === 0) name = buffer.toString('latin1', start, start + length).toUpperCase();
      at = start + length + 2;
    }
    return [name, at];
  };

  const fromClient = (chunk) => {
    const buffer = pending ? Buffer.concat([pending, chunk]) : chunk;
    let offset = 0;
    while (offset < buffer.length) {
      const parsed = command(buffer, offset);
      if (!parsed) break;
      const [name, next] = parsed;
      if (name) {
        counts.redis.commands++;
        bump(counts.redis.by_command, name);
      }
      offset = next;
    }
    pending = offset < buffer.length ? Buffer.from(buffer.subarray(offset)) : null;
  };
  return { fromClient };
}

/**
 * A proxy on an ephemeral port of 127.0.0.1 to `target`; `makeReader()` gives each connection's
 * { fromClient, fromServer? } readers, which see the bytes before they are passed on.
 */
function proxy(target, makeReader, onConnection) {
  const server = createServer((client) => {
    onConnection();
    const upstream = createConnection(target);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const { fromClient, fromServer } = makeReader();
    client.on('data', fromClient);
    if (fromServer) upstream.on('data', fromServer);
    client.pipe(upstream);
    upstream.pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}

function snapshot() {
  const top = (map, limit) =>
    Object.fromEntries([...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit));
  return {
    postgres: {
      connections: counts.postgres.connections,
      round_trips: counts.postgres.round_trips,
      requests: counts.postgres.requests,
      statements: counts.postgres.statements,
      by_statement: top(counts.postgres.by_statement, 40),
    },
    redis: {
      connections: counts.redis.connections,
      commands: counts.redis.commands,
      by_command: top(counts.redis.by_command, 40),
    },
  };
}

async function child() {
  let postgresPort = null;
  let redisPort = null;
  process.on('message', async ({ id, cmd, postgres, redis }) => {
    try {
      let result = null;
      if (cmd === 'listen') {
        postgresPort = await proxy(postgres, postgresReader, () => {});
        redisPort = await proxy(redis, redisReader, () => counts.redis.connections++);
        result = { postgresPort, redisPort };
      } else if (cmd === 'reset') {
        counts = freshCounts();
      } else if (cmd === 'snapshot') {
        result = snapshot();
      }
      process.send({ id, result });
    } catch (error) {
      process.send({ id, error: error?.message ?? String(error) });
    }
  });
  process.on('disconnect', () => process.exit(0));
}

/** host/port of a postgres:// or redis:// URL. */
function target(url, defaultPort) {
  const parsed = new URL(url);
  return { host: parsed.hostname || '127.0.0.1', port: Number(parsed.port || defaultPort) };
}

/** `url` with its host and port replaced by the proxy's. */
function through(url, port) {
  const parsed = new URL(url);
  parsed.hostname = '127.0.0.1';
  parsed.port = String(port);
  return parsed.toString();
}

/**
 * Starts the counting proxies (a child process) in front of `databaseUrl`'s server and
 * `redisUrl`. Returns the URLs to hand a service, reset(), snapshot() and stop().
 */
export async function startWireCounter({ databaseUrl, redisUrl }) {
  const proc = fork(new URL(import.meta.url).pathname, ['--child'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map();
  let nextId = 1;
  proc.on('message', ({ id, result, error }) => {
    const waiter = pending.get(id);
    if (!waiter) return;
    pending.delete(id);
    if (error) waiter.reject(new Error(error));
    else waiter.resolve(result);
  });
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  exited.then(() => {
    for (const waiter of pending.values()) waiter.reject(new Error('wire counter exited'));
    pending.clear();
  });
  const call = (cmd, args = {}) =>
    new Promise((resolve, reject) => {
      if (!proc.connected) return reject(new Error('wire counter is not running'));
      const id = nextId++;
      pending.set(id, { resolve, reject });
      proc.send({ id, cmd, ...args });
    });
  const stop = async () => {
    if (proc.exitCode === null) proc.kill('SIGTERM');
    await Promise.race([exited, sleep(3_000)]);
    if (proc.exitCode === null) proc.kill('SIGKILL');
  };
  const unregister = onCleanup('stop wire counter', stop);
  const { postgresPort, redisPort } = await call('listen', {
    postgres: target(databaseUrl, 5432),
    redis: target(redisUrl, 6379),
  });
  return {
    databaseUrl: through(databaseUrl, postgresPort),
    redisUrl: through(redisUrl, redisPort),
    reset: () => call('reset'),
    snapshot: () => call('snapshot'),
    stop: async () => {
      await stop();
      unregister();
    },
  };
}

if (process.argv[2] === '--child' && process.send) await child();
