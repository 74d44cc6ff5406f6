import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import { Agent, request } from 'undici';
import type { OutboundPolicy } from './outbound-policy.js';

export const RESPONSE_EXCERPT_BYTES = 4_096;

export interface OutboundResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The first 4 KiB of the answer's body. */
  excerpt: string;
  durationMs: number;
}

export class OutboundError extends Error {
  constructor(
    message: string,
    readonly durationMs: number,
  ) {
    super(message);
  }
}

/**
 * POSTs JSON to receivers: a timeout, no redirects followed, and the SSRF policy checked on
 * the literal address before sending and on every resolved address when connecting.
 */
export class OutboundClient {
  private readonly agent: Agent;

  constructor(
    private readonly policy: OutboundPolicy,
    private readonly timeoutMs: number,
  ) {
    this.agent = new Agent({
      connect: { lookup: policy.guardedLookup(), timeout: timeoutMs },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      keepAliveTimeout: 30_000,
      connections: 64,
    });
  }

  async post(
    url: string,
    body: string,
    headers: Record<string, string>,
  ): Promise<OutboundResponse> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    this.assertLiteralAllowed(url);
    try {
      const response = await request(url, {
        method: 'POST',
        body,
        headers,
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const excerpt = await readExcerpt(response.body);
      return {
        status: response.statusCode,
        headers: response.headers,
        excerpt,
        durationMs: elapsed(),
      };
    } catch (error) {
      const cause = (error as { cause?: Error }).cause;
      const reason =
        (error as Error).name === 'TimeoutError' ||
        (error as { code?: string }).code === 'UND_ERR_HEADERS_TIMEOUT'
          ? `timed out after ${this.timeoutMs} ms`
          : (cause?.message ?? (error as Error).message);
      throw new OutboundError(reason, elapsed());
    }
  }

  /**
   * GETs `url` under the same policy (no redirects); the caller reads the body as a stream and
   * must consume or destroy it. `timeoutMs` bounds the whole exchange, body included.
   */
  async get(
    url: string,
    timeoutMs: number,
  ): Promise<{ status: number; headers: OutboundResponse['headers']; body: Readable }> {
    this.assertLiteralAllowed(url);
    try {
      const response = await request(url, {
        method: 'GET',
        dispatcher: this.agent,
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { status: response.statusCode, headers: response.headers, body: response.body };
    } catch (error) {
      const cause = (error as { cause?: Error }).cause;
      throw new OutboundError(
        (error as Error).name === 'TimeoutError'
          ? `timed out after ${timeoutMs} ms`
          : (cause?.message ?? (error as Error).message),
        0,
      );
    }
  }

  /** A literal address is checked before sending (names are checked when connecting). */
  private assertLiteralAllowed(url: string): void {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && !this.policy.hostAllowed(host)) {
      const problem = this.policy.addressProblem(host);
      if (problem) throw new OutboundError(`Refused: ${problem}`, 0);
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

async function readExcerpt(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= RESPONSE_EXCERPT_BYTES) break;
  }
  body.destroy();
  return Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8');
}
