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
