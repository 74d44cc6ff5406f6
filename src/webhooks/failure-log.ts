/** What one failed attempt says about itself in the log. */
export interface FailedAttempt {
  endpointId: number;
  url: string | null;
  statusCode: number | null;
  reason: string;
}

type Warn = (fields: Record<string, unknown>, message: string) => void;

/**
 * Logs failed delivery attempts, at most one line per endpoint per `intervalMs` (per process):
 * a dead receiver retried by thousands of deliveries would otherwise flood the log. A line
 * says how many failures of that endpoint were left out since the previous one.
 */
export class FailureLog {
  private readonly endpoints = new Map<number, { loggedAt: number; suppressed: number }>();

  constructor(
    private readonly intervalMs: number,
    private readonly warn: Warn,
    private readonly now: () => number = Date.now,
  ) {}

  note(attempt: FailedAttempt): void {
    const now = this.now();
    const state = this.endpoints.get(attempt.endpointId);
    if (state && now - state.loggedAt < this.intervalMs) {
      state.suppressed += 1;
      return;
    }
    this.warn(
      {
        endpointId: attempt.endpointId,
        host: hostOf(attempt.url),
        statusCode: attempt.statusCode,
        reason: attempt.reason,
        suppressed: state?.suppressed ?? 0,
      },
      'Webhook delivery attempt failed',
    );
    this.endpoints.set(attempt.endpointId, { loggedAt: now, suppressed: 0 });
    // Forget endpoints quiet for a while, so the map does not grow with every endpoint ever seen.
    if (this.endpoints.size > 1_000) {
      for (const [id, entry] of this.endpoints)
        if (now - entry.loggedAt >= this.intervalMs) this.endpoints.delete(id);
    }
  }
}

/** Only the host: a URL's path or query may carry a receiver's token, which logs must not keep. */
function hostOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}
