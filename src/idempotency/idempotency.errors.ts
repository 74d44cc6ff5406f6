import { ConflictError, DomainError, UnprocessableError } from '../common/index.js';

export class InvalidIdempotencyKeyError extends DomainError {
  constructor() {
    super(
      'invalid',
      'invalid_idempotency_key',
      'Idempotency-Key must be 1 to 255 visible ASCII characters, e.g. a UUID.',
    );
  }
}

export class IdempotencyKeyReusedError extends UnprocessableError {
  constructor() {
    super(
      'idempotency_key_reused',
      'This Idempotency-Key was already used with a different request (method, path or body). Use a new key for a new request.',
    );
  }
}

export class IdempotencyKeyInFlightError extends ConflictError {
  constructor() {
    super(
      'idempotency_key_in_flight',
      'A request with this Idempotency-Key is still being processed. Retry in a moment to get its result.',
    );
  }
}

/**
 * The request holding this key was applied (its transaction committed), but its answer was never
 * stored: the server stopped, or failed, between the two. Running it again would create a second
 * record, and there is no answer to replay, so every retry gets this instead.
 */
export class IdempotencyKeyAnswerLostError extends ConflictError {
  constructor(appliedAt: Date) {
    super(
      'idempotency_key_answer_lost',
      'The request with this Idempotency-Key was already applied (its changes were committed), but its answer could not be stored (the server stopped or failed in between), so there is no answer to replay, and the request will not be applied again. Do not retry it: look the result up instead (e.g. list the conversation messages, or search contacts), and use a new key only for a new request.',
      { applied_at: appliedAt.toISOString() },
    );
  }
}
