import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../common/index.js';
import type { ContactValues } from '../contact.store.js';
import type { ContactInboxRef } from '../dto/contact.responses.js';

/**
 * The Client API's create-or-identify: an existing `sourceId` in the inbox returns its contact;
 * otherwise the account's contact with the same identifier, then email, then phone number is
 * used (and updated); otherwise a contact is created. Either way the contact gets a
 * contact inbox (source_id) in this inbox. A match by email or phone number updates nothing,
 * and its contact inbox is `unverifiedMatch`, unless the caller's identity hash is valid and the
 * contact has no identifier of its own.
 */
export class IdentifyContactCommand extends Command<{ ref: ContactInboxRef; created: boolean }> {
  constructor(
    readonly accountId: number,
    readonly inboxId: number,
    readonly sourceId: string | undefined,
    readonly values: ContactValues,
    readonly hmacVerified: boolean,
    readonly actor: Actor,
    /** With identity validation, only the verified identifier may match an existing contact. */
    readonly matchByIdentifierOnly = false,
  ) {
    super();
  }
}
