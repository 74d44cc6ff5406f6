import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ErrorKind } from './errors.js';
import { PROBLEM_CONTENT_TYPE, ProblemDetails, problemType } from './problem-details.js';

const STATUS_OF_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
};

/** Codes for errors raised by Fastify itself, before a request reaches Nest. */
const FASTIFY_CODES: Record<string, { code: string; detail: (limit?: string) => string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'unsupported_media_type',
    detail: () =>
      'The request body must be sent as application/json, application/x-www-form-urlencoded or multipart/form-data (with Rails-style keys such as message[content]).',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: 'payload_too_large',
    detail: (limit) =>
      `The request body is larger than the limit of ${limit ?? 'the server'} bytes.`,
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: 'malformed_json',
    detail: () => 'The request body is not valid JSON; check quotes, commas and brackets.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'malformed_json',
    detail: () =>
      'The content-type is application/json but the body is empty; send a JSON object or drop the header.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'invalid_content_length',
    detail: () => 'The content-length header does not match the body sent.',
  },
};

/** The FST_* code of an error Fastify raised, which Nest wraps in an HttpException's cause. */
function fastifyCodeOf(error: unknown): string | undefined {
  const cause = error instanceof HttpException ? error.cause : error;
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('FST_') ? code : undefined;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * The methods the request's path has routes for. Fastify's router answers a known path with an
 * unknown method the same as an unknown path (Nest's not-found handler), so ask it per method.
 */
function allowedMethods(request: FastifyRequest): string[] {
  const server = request.server as FastifyRequest['server'] | undefined;
  if (typeof server?.findRoute !== 'function') return [];
  const url = request.url.split('?')[0];
  return METHODS.filter((method) => server.findRoute({ method, url }) !== null);
}

function describe(
  error: unknown,
  request: FastifyRequest,
  bodyLimit: number,
): Omit<ProblemDetails, 'type' | 'title' | 'instance'> & { allow?: string[] } {
  if (error instanceof DomainError) {
    return {
      status: STATUS_OF_KIND[error.kind],
      code: error.code,
      detail: error.message,
      ...error.extensions,
    };
  }
  // @nestjs/throttler's ThrottlerException; not imported, since that CommonJS package cannot load in jest on Node 20.
  if (error instanceof HttpException && error.getStatus() === 429) {
    return {
      status: 429,
      code: 'rate_limited',
      detail: 'Too many requests for this credential; wait for the Retry-After seconds and retry.',
    };
  }
  const fastifyCode = fastifyCodeOf(error);
  if (fastifyCode && FASTIFY_CODES[fastifyCode] && error instanceof HttpException) {
    const known = FASTIFY_CODES[fastifyCode];
    return { status: error.getStatus(), code: known.code, detail: known.detail(String(bodyLimit)) };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status === 404 && error.message.startsWith('Cannot ')) {
      const allow = allowedMethods(request);
      if (allow.length > 0) {
        return {
          status: 405,
          code: 'method_not_allowed',
          detail: `${request.method} is not allowed on ${request.url.split('?')[0]}; use ${allow.join(', ')} (see /docs for the API).`,
          allow,
        };
      }
    }
    if (status === 404) {
      return {
        status,
        code: 'route_not_found',
        detail: `${error.message.replace(/^Cannot /, 'There is no route ')}; see /docs for the API.`,
      };
    }
    const response = error.getResponse();
    // @nestjs/terminus answers a failed health check with the state of each dependency.
    const details =
      typeof response === 'object' && response !== null && 'details' in response
        ? { details: (response as { details: unknown }).details }
        : {};
    return { status, code: codeOfStatus(status), detail: error.message, ...details };
  }
  if (hasInvalidCharacters(error)) {
    return {
      status: 400,
      code: 'invalid_characters',
      detail:
        'The request contains characters that cannot be stored (such as NUL, \\u0000); remove them and retry.',
    };
  }
  if (isPoolExhausted(error)) {
    return {
      status: 503,
      code: 'service_busy',
      detail:
        'The service is too busy to take this request right now; retry after the Retry-After seconds.',
    };
  }
  return {
    status: 500,
    code: 'internal_error',
    detail: 'Something went wrong on our side. The error was logged; retrying may help.',
  };
}

/** PostgreSQL refused a character of the input (NUL in text or JSON): the client's mistake. */
function hasInvalidCharacters(error: unknown): boolean {
  const code =
    (error as { driverError?: { code?: string }; code?: string } | undefined)?.driverError?.code ??
    (error as { code?: string })?.code;
  return code === '22021' || code === '22P05';
}

/** The database pool had no connection to give within its timeout: overload, not a bug. */
function isPoolExhausted(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return /timeout exceeded when trying to connect|Connection terminated due to connection timeout/.test(
    message,
  );
}

function codeOfStatus(status: number): string {
  const name = HttpStatus[status];
  return typeof name === 'string' ? name.toLowerCase() : `http_${status}`;
}

function titleOfStatus(status: number): string {
  const name = HttpStatus[status];
  if (typeof name !== 'string') return 'Error';
  return name
    .toLowerCase()
    .split('_')
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join(' ');
}

/** Builds the problem+json body for any error thrown while serving `request`. */
export function toProblem(
  error: unknown,
  request: FastifyRequest,
  bodyLimit: number,
): ProblemDetails & { allow?: string[] } {
  const described = describe(error, request, bodyLimit);
  return {
    type: problemType(described.code),
    title: titleOfStatus(described.status),
    ...described,
    instance: request.url.split('?')[0],
    request_id: String(request.id),
  };
}

const logger = new Logger('Errors');

export function sendProblem(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  bodyLimit: number,
): void {
  const problem = toProblem(error, request, bodyLimit);
  if (problem.status >= 500) {
    logger.error(
      { err: error, request_id: problem.request_id },
      `Unhandled error on ${request.method} ${problem.instance}`,
    );
  }
  if (problem.status === 503) void reply.header('retry-after', '1');
  if (problem.status === 405) void reply.header('allow', (problem.allow ?? []).join(', '));
  void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
}

/** The one exception filter: every error leaves as RFC 9457 problem+json. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly bodyLimit: number) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(
      error,
      http.getRequest<FastifyRequest>(),
      http.getResponse<FastifyReply>(),
      this.bodyLimit,
    );
  }
}
