import { Query } from '@nestjs/cqrs';
import type { ContactInboxRef } from '../dto/contact.responses.js';

/** The contact named by `sourceId` in an inbox; not found is an error that says so. */
export class FindContactInboxQuery extends Query<ContactInboxRef> {
  constructor(
    readonly inboxId: number,
    readonly sourceId: string,
  ) {
    super();
  }
}
