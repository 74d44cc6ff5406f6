import { ConflictError, NotFoundError } from '../common/index.js';

export class CannedResponseNotFoundError extends NotFoundError {
  constructor(id: number) {
    super('canned_response_not_found', `No canned response with id ${id} in this account.`);
  }
}

export class ShortCodeTakenError extends ConflictError {
  constructor(shortCode: string, existingId: number) {
    super(
      'short_code_taken',
      `The short code "${shortCode.slice(0, 80)}" is already used by canned response ${existingId}; short codes are unique per account. Update that one or choose another short code.`,
      { existing_id: existingId },
    );
  }
}
