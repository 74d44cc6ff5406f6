/** What the answer to one attempt means for the delivery. */
export type AttemptOutcome =
  | { kind: 'delivered' }
  | { kind: 'gone' }
  | { kind: 'retry'; reason: string; retryAfterMs: number | null };

/** 2xx delivered; 410 gone (disable the endpoint); anything else, a redirect included, retries. */
export function classifyResponse(
  status: number,
  retryAfter: string | undefined,
  now = Date.now(),
): AttemptOutcome {
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  if (status === 410) return { kind: 'gone' };
  const reason =
    status >= 300 && status < 400
      ? `answered ${status} (redirects are not followed)`
      : `answered ${status}`;
  const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(retryAfter, now) : null;
  return { kind: 'retry', reason, retryAfterMs };
}

/** Retry-After as seconds or an HTTP date, in ms from now; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * Delay before the next attempt after `attemptsMade` attempts, or null when they are used up.
 * Each scheduled delay gets ±20 % jitter; a receiver's Retry-After wins when longer, capped.
 */
export function nextDelayMs(
  attemptsMade: number,
  schedule: number[],
  retryAfterMs: number | null,
  retryAfterCapMs: number,
  random: () => number = Math.random,
): number | null {
  if (attemptsMade > schedule.length) return null;
  const base = schedule[attemptsMade - 1];
  const jittered = Math.round(base * (0.8 + 0.4 * random()));
  if (retryAfterMs === null) return jittered;
  return Math.max(jittered, Math.min(retryAfterMs, retryAfterCapMs));
}

export function parseSchedule(text: string): number[] {
  return text.split(',').map((item) => Number(item.trim()));
}
