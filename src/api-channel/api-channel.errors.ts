import { ForbiddenError, UnauthenticatedError } from '../common/index.js';

const HOW =
  'identifier_hash is the hex HMAC-SHA256 of the contact identifier, keyed with the inbox hmac_token; send it as the identifier_hash query parameter (or body field when creating or updating the contact).';

export class IdentityHashRequiredError extends UnauthenticatedError {
  constructor() {
    super('identity_verification_required', `This inbox requires identity validation. ${HOW}`);
  }
}

export class IdentityHashMismatchError extends UnauthenticatedError {
  constructor() {
    super(
      'identity_verification_failed',
      `identifier_hash does not match the contact's identifier. ${HOW}`,
    );
  }
}

export class IdentifierRequiredError extends UnauthenticatedError {
  constructor() {
    super(
      'identity_verification_required',
      `This inbox requires identity validation, so the contact needs an identifier and its identifier_hash. ${HOW}`,
    );
  }
}

export class UnverifiedContactLinkError extends ForbiddenError {
  constructor() {
    super(
      'contact_not_verified',
      "This source_id was linked to an existing contact by email or phone number without identity verification, so it cannot change the contact's details. Identify again with this source_id, the contact's identifier and its identifier_hash to verify it; an agent can update the contact meanwhile.",
    );
  }
}
