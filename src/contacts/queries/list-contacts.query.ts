import { Query } from '@nestjs/cqrs';
import type { FilterCondition } from '../../common/index.js';
import type { ContactListResponse } from '../dto/contact.responses.js';

export const CONTACTS_PAGE_SIZE = 15;

export interface ContactListOptions {
  page: number;
  sort?: string;
  /** Matches name, email, phone number or identifier. */
  q?: string;
  filter?: FilterCondition[];
  /** Contacts carrying any of these labels. */
  labels?: string[];
}

/** A page of the account's contacts (15 per page, Chatwoot's size), with the total count. */
export class ListContactsQuery extends Query<ContactListResponse> {
  constructor(
    readonly accountId: number,
    readonly options: ContactListOptions,
  ) {
    super();
  }
}
