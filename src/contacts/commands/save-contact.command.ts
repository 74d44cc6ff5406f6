import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../common/index.js';
import type { ContactValues } from '../contact.store.js';

/**
 * Creates a contact (contactId null) or updates one on the Application API. A clash on
 * identifier, email or phone number is a 409 naming the existing contact.
 */
export class SaveContactCommand extends Command<{ id: number }> {
  constructor(
    readonly accountId: number,
    readonly contactId: number | null,
    readonly values: ContactValues,
    readonly actor: Actor,
    /** On create: also make the contact reachable in this inbox. */
    readonly inbox?: { inboxId: number; sourceId?: string },
  ) {
    super();
  }
}
