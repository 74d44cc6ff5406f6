import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PreparedQuery } from '../database/index.js';
import type { ContactInbox } from './entities/contact-inbox.entity.js';
import type { Contact } from './entities/contact.entity.js';

const CONTACT_BY_SOURCE = new PreparedQuery<Contact & { link: ContactInbox }>(
  'contact_by_source',
  `SELECT c.*, row_to_json(ci) AS link FROM contact_inboxes ci JOIN contacts c ON c.id = ci.contact_id
    WHERE ci.inbox_id = $1 AND ci.source_id = $2`,
);

/** One page of a contact list: the statement's conditions and order, built by the caller. */
export interface ContactPage {
  /** SQL conditions on `contacts c`, ANDed, with `params` as their $n. */
  where: string[];
  params: unknown[];
  /** `ORDER BY` expression and direction of the page. */
  orderBy: string;
  direction: 'ASC' | 'DESC';
  limit: number;
  offset: number;
}

/**
 * The contacts module's hand-written SQL for readers, behind named methods. Writers' SQL lives
 * in contact.store.ts; other modules reach contacts through this module's index.ts.
 */
@Injectable()
export class ContactReadModel {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The contact with this source_id in the inbox, and its link (one prepared round trip: this
   * runs on every Client API request).
   */
  bySource(
    inboxId: number,
    sourceId: string,
  ): Promise<(Contact & { link: ContactInbox }) | undefined> {
    return CONTACT_BY_SOURCE.first(this.dataSource, [inboxId, sourceId]);
  }

  /** How many contacts match the page's conditions, and the page's rows. */
  async page({ where, params, orderBy, direction, limit, offset }: ContactPage): Promise<{
    count: number;
    rows: Contact[];
  }> {
    const [{ count }] = await this.dataSource.query(
      `SELECT count(*)::int AS count FROM contacts c WHERE ${where.join(' AND ')}`,
      params,
    );
    const rows: Contact[] = await this.dataSource.query(
      `SELECT c.* FROM contacts c WHERE ${where.join(' AND ')}
          ORDER BY ${orderBy} ${direction} NULLS LAST, c.id ${direction}
          LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    return { count, rows };
  }
}
