import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const REQUEST_ID = Symbol('conversa.requestId');
const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The id of a request: the caller's x-request-id when it is a sane token, else a new UUID.
 * Memoised on the raw request so Fastify, the logger and error bodies all report the same id.
 */
export function requestIdOf(request: IncomingMessage): string {
  const memo = request as IncomingMessage & { [REQUEST_ID]?: string };
  if (memo[REQUEST_ID]) return memo[REQUEST_ID];
  const header = request.headers['x-request-id'];
  const id = typeof header === 'string' && ACCEPTABLE.test(header) ? header : randomUUID();
  memo[REQUEST_ID] = id;
  return id;
}
