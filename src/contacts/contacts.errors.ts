import { ConflictError, NotFoundError, UnprocessableError } from '../common/index.js';

export class ContactNotFoundError extends NotFoundError {
  constructor(contactId: number) {
    super('contact_not_found', `No contact with id ${contactId} in this account.`);
  }
}

export class ContactSourceNotFoundError extends NotFoundError {
  constructor(sourceId: string, where: 'inbox' | 'account' = 'inbox') {
    super(
      'contact_not_found',
      `No contact has the source_id "${sourceId.slice(0, 80)}" in this ${where}. Create or identify the contact with POST /contacts first and use the source_id it returns.`,
    );
  }
}

export class AmbiguousSourceIdError extends UnprocessableError {
  constructor(sourceId: string, inboxIds: number[]) {
    super(
      'source_id_ambiguous',
      `The source_id "${sourceId.slice(0, 80)}" names contacts in several inboxes (${inboxIds.slice(0, 10).join(', ')}); send inbox_id too.`,
      { inbox_ids: inboxIds.slice(0, 10) },
    );
  }
}

export class ContactConflictError extends ConflictError {
  constructor(field: string, existingId: number) {
    super('contact_conflict', `Another contact (id ${existingId}) already has this ${field}.`, {
      field,
      existing_id: existingId,
    });
  }
}

export class SourceIdTakenError extends ConflictError {
  constructor(contactId: number) {
    super(
      'source_id_taken',
      `This source_id is already used in this inbox by contact ${contactId}.`,
      {
        existing_id: contactId,
      },
    );
  }
}

export class SameContactMergeError extends UnprocessableError {
  constructor(contactId: number) {
    super(
      'same_contact',
      `base_contact_id and mergee_contact_id are both ${contactId}: a contact cannot be merged into itself. Give the id of the duplicate to remove as mergee_contact_id.`,
    );
  }
}
