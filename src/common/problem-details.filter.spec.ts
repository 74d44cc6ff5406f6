import { describe, expect, it } from '@jest/globals';
import {
  BadRequestException,
  HttpException,
  NotFoundException,
  PayloadTooLargeException,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import {
  ConflictError,
  DomainError,
  ErrorKind,
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
  UnprocessableError,
  ValidationFailedError,
} from './errors.js';
import { toProblem } from './problem-details.filter.js';

const request = { url: '/api/v1/things/7?verbose=1', id: 'req-1' } as unknown as FastifyRequest;

describe('toProblem', () => {
  it.each([
    ['invalid', 400],
    ['unauthenticated', 401],
    ['forbidden', 403],
    ['not_found', 404],
    ['conflict', 409],
    ['too_large', 413],
    ['unprocessable', 422],
    ['rate_limited', 429],
    ['unavailable', 503],
  ] as [ErrorKind, number][])('maps a domain error of kind %s to %i', (kind, status) => {
    const problem = toProblem(
      new DomainError(kind, 'some_code', 'What went wrong and how to fix it.'),
      request,
      1024,
    );
    expect(problem).toEqual({
      type: 'urn:conversa:problem:some_code',
      title: expect.any(String),
      status,
      code: 'some_code',
      detail: 'What went wrong and how to fix it.',
      instance: '/api/v1/things/7',
      request_id: 'req-1',
    });
  });

  it('uses the subclasses of DomainError with their kinds', () => {
    expect(
      toProblem(new NotFoundError('thing_not_found', 'No thing 7.'), request, 1024).status,
    ).toBe(404);
    expect(toProblem(new ConflictError('thing_taken', 'Taken.'), request, 1024).status).toBe(409);
    expect(toProblem(new UnprocessableError('thing_bad', 'Bad.'), request, 1024).status).toBe(422);
    expect(
      toProblem(new UnauthenticatedError('no_token', 'No token.'), request, 1024),
    ).toMatchObject({
      status: 401,
      title: 'Unauthorized',
    });
    expect(toProblem(new ForbiddenError('not_allowed', 'No.'), request, 1024)).toMatchObject({
      status: 403,
      title: 'Forbidden',
    });
  });

  it('adds the extensions of a domain error, such as the invalid fields', () => {
    const errors = [
      { field: 'email', messages: ['must be an email address like name@example.com'] },
    ];
    const problem = toProblem(new ValidationFailedError(errors), request, 1024);
    expect(problem).toMatchObject({ status: 422, code: 'validation_failed', errors });
    const conflict = toProblem(
      new ConflictError('team_name_taken', 'Taken.', { existing_id: 3 }),
      request,
      1024,
    );
    expect(conflict).toMatchObject({ status: 409, existing_id: 3 });
  });

  it('maps the errors Fastify raises while reading a body', () => {
    const wrapped = (status: number, code: string) =>
      new HttpException('raw message', status, {
        cause: Object.assign(new Error('raw'), { code }),
      });
    expect(toProblem(wrapped(400, 'FST_ERR_CTP_INVALID_JSON_BODY'), request, 1024)).toMatchObject({
      status: 400,
      code: 'malformed_json',
    });
    expect(toProblem(wrapped(400, 'FST_ERR_CTP_EMPTY_JSON_BODY'), request, 1024)).toMatchObject({
      status: 400,
      code: 'malformed_json',
    });
    expect(toProblem(wrapped(415, 'FST_ERR_CTP_INVALID_MEDIA_TYPE'), request, 1024)).toMatchObject({
      status: 415,
      code: 'unsupported_media_type',
    });
    const tooLarge = toProblem(
      new PayloadTooLargeException('raw', {
        cause: Object.assign(new Error('raw'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE' }),
      }),
      request,
      2048,
    );
    expect(tooLarge).toMatchObject({ status: 413, code: 'payload_too_large' });
    expect(tooLarge.detail).toContain('2048');
  });

  it('maps an unknown route to route_not_found, pointing at the docs', () => {
    const problem = toProblem(new NotFoundException('Cannot GET /nope'), request, 1024);
    expect(problem).toMatchObject({
      status: 404,
      code: 'route_not_found',
      detail: 'There is no route GET /nope; see /docs for the API.',
    });
  });

  it('maps a 429 to rate_limited', () => {
    const problem = toProblem(
      new HttpException('ThrottlerException: Too Many Requests', 429),
      request,
      1024,
    );
    expect(problem).toMatchObject({
      status: 429,
      code: 'rate_limited',
      title: 'Too Many Requests',
    });
  });

  it('keeps the status of other HTTP exceptions and names the code after it', () => {
    expect(toProblem(new BadRequestException('Nope'), request, 1024)).toMatchObject({
      status: 400,
      code: 'bad_request',
      detail: 'Nope',
    });
    const health = new ServiceUnavailableException({
      status: 'error',
      details: { redis: { status: 'down' } },
    });
    expect(toProblem(health, request, 1024)).toMatchObject({
      status: 503,
      code: 'service_unavailable',
      details: { redis: { status: 'down' } },
    });
  });

  it('hides anything else behind a 500 that says nothing about the internals', () => {
    const problem = toProblem(
      new TypeError("Cannot read properties of undefined (reading 'password_hash')"),
      request,
      1024,
    );
    expect(problem).toMatchObject({
      status: 500,
      code: 'internal_error',
      title: 'Internal Server Error',
    });
    expect(JSON.stringify(problem)).not.toContain('password_hash');
  });
});
