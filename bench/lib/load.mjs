// Load generators. Max mode and bursts use autocannon (closed loop, N connections). Fixed-rate
// mode uses an open-loop paced sender: autocannon's own rate limit (overallRate/connectionRate)
// sends each connection's quota for a second back to back at the start of that second, which
// turns "200 msg/s" into a burst every second and distorts the latency of a steady rate. The
// paced sender spreads requests evenly and measures latency from each request's scheduled
// time, so a stall is not hidden by the sender waiting (no coordinated omission).
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import hdr from 'hdr-histogram-js';
import { Pool } from 'undici';
import { round } from './common.mjs';

export function histogram() {
  // microseconds, 1 µs .. 10 min, 3 significant digits
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 600_000_000,
    numberOfSignificantValueDigits: 3,
  });
}

/** p50/p95/p99/max in ms of a µs histogram (null when empty). */
export function summary(hist) {
  if (hist.totalCount === 0)
    return { count: 0, p50: null, p95: null, p99: null, max: null, mean: null };
  const ms = (us) => round(us / 1000, 2);
  return {
    count: hist.totalCount,
    p50: ms(hist.getValueAtPercentile(50)),
    p95: ms(hist.getValueAtPercentile(95)),
    p99: ms(hist.getValueAtPercentile(99)),
    max: ms(hist.maxValue),
    mean: ms(hist.mean),
  };
}

/** Percentile curve for charts: [[percentile, ms], ...] on a log "nines" scale. */
export function curve(hist) {
  if (hist.totalCount === 0) return [];
  const points = [];
  for (const percentile of [0, 10, 25, 50, 75, 90, 95, 97.5, 99, 99.5, 99.9, 99.95, 99.99, 100]) {
    points.push([percentile, round(hist.getValueAtPercentile(percentile) / 1000, 3)]);
  }
  return points;
}

export function histogramOf(valuesMs) {
  const hist = histogram();
  for (const value of valuesMs) hist.recordValue(Math.max(1, Math.round(value * 1000)));
  return hist;
}

/** Pulls the message's source_id out of a Client API answer without a full parse. */
const SOURCE_ID = /"source_id":"([^"]+)"/;

/**
 * Closed-loop load with autocannon. `makeRequest(index, sentAtWall)` returns { path, body }.
 * Resolves with throughput, latency (own HDR histogram over every answer, any status),
 * errors, and the source_ids that were answered 2xx.
 */
export async function maxLoad({
  url,
  method = 'POST',
  connections,
  durationS,
  amount,
  makeRequest,
  headers = {},
  timeoutS = 10,
  maxTimeS,
}) {
  const hist = histogram();
  const accepted = new Set();
  let index = 0;
  let lastAnswerAt = 0;
  const options = {
    url,
    connections,
    timeout: timeoutS,
    pipelining: 1,
    ...(amount ? { amount } : { duration: durationS }),
    headers: { ...(method === 'POST' ? { 'content-type': 'application/json' } : {}), ...headers },
    requests: [
      {
        method,
        setupRequest: (request) => {
          const { path, body } = makeRequest(index++, performance.timeOrigin + performance.now());
          return { ...request, method, path, ...(body !== undefined ? { body } : {}) };
        },
        onResponse: (status, body) => {
          lastAnswerAt = performance.timeOrigin + performance.now();
          if (status >= 200 && status < 300) {
            const sourceId = body?.match?.(SOURCE_ID)?.[1];
            if (sourceId) accepted.add(sourceId);
          }
        },
      },
    ],
  };
  const startedAt = performance.timeOrigin + performance.now();
  const instance = autocannon(options);
  instance.on('response', (_client, _status, _bytes, responseTime) =>
    hist.recordValue(Math.max(1, Math.round(responseTime * 1000))),
  );
  // A burst (`amount`) ends when it is all answered, or at maxTimeS when the service stalls.
  let capped = false;
  const cap = maxTimeS
    ? setTimeout(() => {
        capped = true;
        instance.stop();
      }, maxTimeS * 1000)
    : null;
  const result = await new Promise((resolve, reject) => {
    instance.once('done', resolve);
    instance.once('error', reject);
  });
  if (cap) clearTimeout(cap);
  const elapsedS = (lastAnswerAt - startedAt) / 1000;
  const ok = Object.entries(result.statusCodeStats ?? {}).reduce(
    (sum, [code, { count }]) => sum + (code.startsWith('2') ? count : 0),
    0,
  );
  return {
    startedAt,
    lastAnswerAt,
    elapsedS: round(elapsedS, 2),
    requests: result.requests.total,
    capped,
    ok,
    rps: round(ok / Math.max(elapsedS, 0.001), 1),
    latency: summary(hist),
    hist,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, count]),
    ),
    accepted,
  };
}

/**
 * Open-loop paced load: `rate` requests per second for `durationS`, evenly spaced, over up to
 * `connections` keep-alive connections. Latency runs from each request's scheduled time.
 */
export async function pacedLoad({
  origin,
  rate,
  durationS,
  connections = 64,
  method = 'POST',
  makeRequest,
  headers = {},
  timeoutMs = 10_000,
}) {
  const pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
  // Never queue behind busy connections: a request that finds every connection busy is counted
  // as dropped (the service fell more than `connections` requests behind), which keeps a phase
  // bounded in time when the service stalls.
  let dropped = 0;
  const hist = histogram();
  const lag = histogram();
  const statusCodes = {};
  const accepted = new Set();
  let errors = 0;
  let lastAnswerAt = 0;
  const total = Math.max(1, Math.round(rate * durationS));
  const intervalMs = 1000 / rate;
  const start = performance.now() + 20;
  const inflight = new Set();

  const fire = (index) => {
    const scheduled = start + index * intervalMs;
    lag.recordValue(Math.max(1, Math.round((performance.now() - scheduled) * 1000)));
    if (inflight.size >= connections) {
      dropped++;
      return;
    }
    const { path, body } = makeRequest(index, performance.timeOrigin + scheduled);
    const promise = pool
      .request({
        method,
        path,
        body,
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      })
      .then(async (response) => {
        const text = await response.body.text();
        const now = performance.now();
        lastAnswerAt = performance.timeOrigin + now;
        hist.recordValue(Math.max(1, Math.round((now - scheduled) * 1000)));
        statusCodes[response.statusCode] = (statusCodes[response.statusCode] ?? 0) + 1;
        if (response.statusCode >= 200 && response.statusCode < 300) {
          const sourceId = text.match(SOURCE_ID)?.[1];
          if (sourceId) accepted.add(sourceId);
        }
      })
      .catch(() => {
        errors++;
      })
      .finally(() => inflight.delete(promise));
    inflight.add(promise);
  };

  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor((performance.now() - start) / intervalMs) + 1);
    while (sent < due) fire(sent++);
    const next = start + sent * intervalMs;
    const wait = next - performance.now();
    if (wait > 0) await sleep(wait);
  }
  const lastSentAt = performance.timeOrigin + performance.now();
  await Promise.all([...inflight]);
  await pool.close();
  const ok = Object.entries(statusCodes).reduce(
    (sum, [code, count]) => sum + (code.startsWith('2') ? count : 0),
    0,
  );
  return {
    startedAt: performance.timeOrigin + start,
    lastSentAt,
    lastAnswerAt,
    rate,
    requests: total,
    ok,
    errors,
    dropped,
    non2xx: total - ok - errors - dropped,
    statusCodes,
    latency: summary(hist),
    hist,
    senderLagP99: summary(lag).p99,
    accepted,
  };
}
