import { NotFoundError } from '../common/index.js';

export class InboxNotFoundError extends NotFoundError {
  constructor(inboxId: number) {
    super(
      'inbox_not_found',
      `No inbox with id ${inboxId} in this account (or you are not one of its members).`,
    );
  }
}

export class InboxIdentifierNotFoundError extends NotFoundError {
  constructor(identifier: string) {
    super(
      'inbox_not_found',
      `No inbox has the identifier "${identifier.slice(0, 80)}". Check the inbox identifier in Settings → Inboxes (inbox_identifier in the API).`,
    );
  }
}
