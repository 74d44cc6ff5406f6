import { Query } from '@nestjs/cqrs';
import type { ContactPushData, ContactResponse } from '../dto/contact.responses.js';

/** One contact with the source ids it has per inbox, and its labels. */
export class GetContactQuery extends Query<{
  contact: ContactResponse;
  sourceIds: { inboxId: number; sourceId: string }[];
  labels: string[];
}> {
  constructor(
    readonly accountId: number,
    readonly contactId: number,
  ) {
    super();
  }
}

/** Push data (the event and sender shape) of several contacts of an account. */
export class GetContactsQuery extends Query<ContactPushData[]> {
  constructor(
    readonly accountId: number,
    readonly contactIds: number[],
  ) {
    super();
  }
}
