import type { Actor } from '../../common/index.js';
import type { StoredEvent } from '../../outbox/index.js';
import { OutboxEvent } from '../../outbox/index.js';
import type { ContactPushData } from '../dto/contact.responses.js';
import { ContactEvent } from './contact-event.js';

/**
 * Two contacts became one: the payload is the base contact as it is after the merge, with
 * `mergee`, the contact that was merged into it and deleted, as it was. The one event of a
 * merge (its conversations and contact inboxes now belong to the base contact).
 */
@OutboxEvent('contact_merged')
export class ContactMergedEvent extends ContactEvent {
  constructor(
    accountId: number,
    contact: ContactPushData,
    readonly mergee: ContactPushData,
    actor: Actor,
  ) {
    super(accountId, contact, null, actor);
  }

  override toPayload(): Record<string, unknown> {
    return { ...super.toPayload(), mergee: this.mergee };
  }

  static fromStored(stored: StoredEvent): ContactMergedEvent {
    const { mergee, ...rest } = stored.payload;
    return new ContactMergedEvent(
      stored.accountId,
      ContactEvent.contactOf({ ...stored, payload: rest }),
      mergee as ContactPushData,
      stored.actor,
    );
  }
}
