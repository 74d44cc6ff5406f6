import {
  CallHandler,
  ExecutionContext,
  HttpStatus,
  Injectable,
  NestInterceptor,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { from, lastValueFrom, Observable } from 'rxjs';
import { runApplyingKey } from './applied-marker.js';
import {
  IdempotencyKeyAnswerLostError,
  IdempotencyKeyInFlightError,
  IdempotencyKeyReusedError,
  InvalidIdempotencyKeyError,
} from './idempotency.errors.js';
import { HeldKey, IdempotencyStore } from './idempotency.store.js';
import { requestFingerprint } from './request-fingerprint.js';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
export const REPLAYED_HEADER = 'idempotent-replayed';

/**
 * Makes every create (POST) safe to retry: with an `Idempotency-Key` header, the first
 * response is stored and a retry gets it again (same status and body) with
 * `Idempotent-Replayed: true`; the same key with another request is 422, and while the first
 * is still running, 409. Keys are scoped to the credential (or, on the Client API, to the
 * inbox and contact), so two clients never share one.
 *
 * A request is never applied twice: each transaction the handler commits marks the key applied
 * in that same transaction (see `UnitOfWork` in the outbox). A request that fails before
 * anything was applied releases its key; one that was applied but could not store its answer
 * (an error after the commit, or a crash) keeps it, and its retries are 409
 * `idempotency_key_answer_lost` instead of running again.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers['idempotency-key'];
    if (request.method !== 'POST' || header === undefined) return next.handle();
    const scope = scopeOf(request);
    if (!scope) return next.handle();
    const key = Array.isArray(header) ? header[0] : header;
    if (!KEY_PATTERN.test(key)) throw new InvalidIdempotencyKeyError();

    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const status =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ??
      HttpStatus.CREATED;
    return from(this.run(request, reply, scope, key, status, next));
  }

  private async run(
    request: FastifyRequest,
    reply: FastifyReply,
    scope: string,
    key: string,
    status: number,
    next: CallHandler,
  ): Promise<unknown> {
    const fingerprint = requestFingerprint(request.method, request.url, request.body);
    const claim = await this.store.claim(scope, key, fingerprint);
    if (claim.kind === 'mismatch') throw new IdempotencyKeyReusedError();
    if (claim.kind === 'in_flight') throw new IdempotencyKeyInFlightError();
    if (claim.kind === 'answer_lost') throw new IdempotencyKeyAnswerLostError(claim.appliedAt);
    if (claim.kind === 'replay') {
      void reply.header(REPLAYED_HEADER, 'true');
      void reply.status(claim.status);
      return claim.body;
    }
    const held: HeldKey = { scope, key, claimId: claim.claimId };
    try {
      // next.handle() is called inside, so that the handler runs in the key's async context.
      const body = await runApplyingKey(held, () =>
        lastValueFrom(next.handle(), { defaultValue: undefined }),
      );
      await this.store.complete(held, status, body);
      return body;
    } catch (error) {
      // Released only if nothing was applied; the database knows, even when this process
      // cannot tell whether a failed COMMIT went through.
      await this.store.settleFailed(held);
      throw error;
    }
  }
}

/** The scope column's size; longer scopes (long source_ids) are stored as their hash. */
const MAX_SCOPE_LENGTH = 160;

/** Who a key belongs to: the access token, or on the Client API the inbox and contact. */
function scopeOf(request: FastifyRequest): string | null {
  if (request.auth) return `token:${request.auth.tokenId}`;
  const params = request.params as Record<string, string | undefined>;
  if (!params.inbox_identifier) return null;
  const scope = `inbox:${params.inbox_identifier}:${params.source_id ?? '-'}`;
  return scope.length <= MAX_SCOPE_LENGTH
    ? scope
    : `inbox-sha256:${createHash('sha256').update(scope).digest('hex')}`;
}
