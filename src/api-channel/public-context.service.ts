import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ContactSourceNotFoundError, FindContactInboxQuery } from '../contacts/index.js';
import type { ContactInboxRef } from '../contacts/index.js';
import { ConversationNotFoundError, FindContactConversationQuery } from '../conversations/index.js';
import type { ConversationRef } from '../conversations/index.js';
import { FindInboxQuery } from '../inboxes/index.js';
import type { InboxRef } from '../inboxes/index.js';
import { IdentityHashMismatchError, IdentityHashRequiredError } from './api-channel.errors.js';
import { isValidIdentityHash } from './identity.js';

export interface ContactContext {
  inbox: InboxRef;
  contactInbox: ContactInboxRef;
}

/**
 * Which kind of Client API route a lookup serves: the contact's own routes (show, update) or
 * the routes of its conversations and messages.
 */
export type PublicRoute = 'contact' | 'conversations';

/**
 * Resolves the inbox, contact and conversation a Client API path names, and enforces the
 * inbox's identity validation when it is mandatory: on the contact routes always, on the
 * conversation and message routes only with hmac_scope every_request.
 */
@Injectable()
export class PublicContext {
  constructor(private readonly queries: QueryBus) {}

  inbox(identifier: string): Promise<InboxRef> {
    return this.queries.execute(new FindInboxQuery({ identifier }));
  }

  async contact(
    identifier: string,
    sourceId: string,
    identifierHash: string | undefined,
    route: PublicRoute = 'contact',
  ): Promise<ContactContext> {
    const inbox = await this.inbox(identifier);
    const contactInbox = await this.queries.execute(new FindContactInboxQuery(inbox.id, sourceId));
    this.checkIdentity(inbox, contactInbox, identifierHash, route);
    return { inbox, contactInbox };
  }

  async conversation(
    identifier: string,
    sourceId: string,
    displayId: number,
    identifierHash: string | undefined,
  ): Promise<ContactContext & { conversation: ConversationRef }> {
    const inbox = await this.inbox(identifier);
    // The contact and its conversation in one statement: every Client API message starts here.
    const found = await this.queries.execute(
      new FindContactConversationQuery({
        inboxId: inbox.id,
        accountId: inbox.accountId,
        sourceId,
        displayId,
      }),
    );
    // Unknown contact, then the identity check, then unknown conversation: a caller without
    // the contact's identifier_hash learns nothing about its conversations.
    if (!found) throw new ContactSourceNotFoundError(sourceId);
    const { contactInbox, conversation } = found;
    this.checkIdentity(inbox, contactInbox, identifierHash, 'conversations');
    if (!conversation) throw new ConversationNotFoundError(displayId);
    return { inbox, contactInbox, conversation };
  }

  /** The inbox's identity validation, where it is mandatory for this kind of route. */
  private checkIdentity(
    inbox: InboxRef,
    contactInbox: ContactInboxRef,
    identifierHash: string | undefined,
    route: PublicRoute,
  ): void {
    const checked = route === 'contact' || inbox.hmacScope === 'every_request';
    if (inbox.hmacMandatory && checked)
      this.verify(inbox, contactInbox.contact.identifier, identifierHash);
  }

  /** Throws unless `hash` proves the caller knows the inbox secret for this identifier. */
  verify(inbox: InboxRef, contactIdentifier: string | null, hash: string | undefined): void {
    if (!hash) throw new IdentityHashRequiredError();
    if (!contactIdentifier || !isValidIdentityHash(inbox.hmacToken, contactIdentifier, hash)) {
      throw new IdentityHashMismatchError();
    }
  }
}
