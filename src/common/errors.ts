/**
 * What kind of failure a domain error is. The problem+json filter maps a kind to an HTTP
 * status, so domain code never speaks HTTP.
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unprocessable'
  | 'too_large'
  | 'rate_limited'
  | 'unavailable';

export interface FieldError {
  /** Dotted path of the field in the request, e.g. `channel.webhook_url`. */
  field: string;
  messages: string[];
}

/**
 * Base of every error the domain throws on purpose. `code` is stable and machine readable;
 * `message` is the problem's detail: what is wrong and how to fix it.
 */
export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(code: string, message: string, extensions?: Record<string, unknown>) {
    super('not_found', code, message, extensions);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string, extensions?: Record<string, unknown>) {
    super('conflict', code, message, extensions);
  }
}

export class UnprocessableError extends DomainError {
  constructor(code: string, message: string, extensions?: Record<string, unknown>) {
    super('unprocessable', code, message, extensions);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(code: string, message: string) {
    super('unauthenticated', code, message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(code: string, message: string) {
    super('forbidden', code, message);
  }
}

/** A request whose fields fail validation; lists every bad field. */
export class ValidationFailedError extends DomainError {
  constructor(readonly errors: FieldError[]) {
    const summary = errors.map((error) => `${error.field} ${error.messages.join('; ')}`).join('. ');
    super(
      'unprocessable',
      'validation_failed',
      `${errors.length} field${errors.length === 1 ? ' is' : 's are'} invalid: ${summary}.`,
      { errors },
    );
  }
}
