import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { buildFilterSql, escapeLike } from '../common/index.js';
import type { CustomAttributeSource, FilterColumn } from '../common/index.js';
import { PreparedQuery } from '../database/index.js';
import { InboxSql } from '../inboxes/index.js';
import type { ListContactsQuery } from './queries/list-contacts.query.js';
import { ContactSql } from './contact-sql.js';
import type { ContactInboxJson } from './dto/contact.responses.js';
import type { Contact } from './entities/contact.entity.js';

const CONTACT_BY_SOURCE = new PreparedQuery<ContactInboxJson>(
  'contact_inbox_by_source',
  `SELECT s.link, s.contact FROM ${ContactSql.contactInboxBySource('$1', '$2')} s`,
);

const FILTER_COLUMNS: Record<string, FilterColumn> = {
  name: { sql: 'c.name', type: 'text' },
  email: { sql: 'c.email', type: 'text' },
  phone_number: { sql: 'c.phone_number', type: 'text' },
  identifier: { sql: 'c.identifier', type: 'text' },
  blocked: { sql: 'c.blocked', type: 'boolean' },
  created_at: { sql: 'c.created_at', type: 'date' },
  last_activity_at: { sql: 'c.last_activity_at', type: 'date' },
  country_code: { sql: "(c.additional_attributes ->> 'country_code')", type: 'text' },
  city: { sql: "(c.additional_attributes ->> 'city')", type: 'text' },
  company: { sql: "(c.additional_attributes ->> 'company_name')", type: 'text' },
  labels: { sql: 'c.labels', type: 'text_array' },
};

const SORT_COLUMNS: Record<string, string> = {
  name: 'c.name',
  email: 'c.email',
  phone_number: 'c.phone_number',
  last_activity_at: 'c.last_activity_at',
  created_at: 'c.created_at',
};

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
  bySource(inboxId: number, sourceId: string): Promise<ContactInboxJson | undefined> {
    return CONTACT_BY_SOURCE.first(this.dataSource, [inboxId, sourceId]);
  }

  /** The live inboxes of the account where some contact has this source_id. */
  async inboxesWithSource(accountId: number, sourceId: string): Promise<number[]> {
    const rows: { inbox_id: number }[] = await this.dataSource.query(
      `SELECT ci.inbox_id FROM contact_inboxes ci JOIN contacts c ON c.id = ci.contact_id
         ${InboxSql.joinLiveInbox('i', 'ci.inbox_id')}
        WHERE c.account_id = $1 AND ci.source_id = $2 ORDER BY ci.inbox_id`,
      [accountId, sourceId],
    );
    return rows.map((row) => row.inbox_id);
  }

  /** One page of the account's contacts (search, filter, sort), and how many match in all. */
  async list(
    accountId: number,
    options: ListContactsQuery['options'],
    pageSize: number,
    customTypes: CustomAttributeSource['types'],
  ): Promise<{ count: number; rows: Contact[] }> {
    const params: unknown[] = [accountId];
    const where = ['c.account_id = $1'];
    if (options.q) {
      params.push(`%${escapeLike(options.q)}%`);
      const p = `$${params.length}`;
      where.push(
        `(c.name ILIKE ${p} OR c.email ILIKE ${p} OR c.phone_number ILIKE ${p} OR c.identifier ILIKE ${p})`,
      );
    }
    if (options.labels?.length) {
      params.push(options.labels);
      where.push(`c.labels && $${params.length}::text[]`);
    }
    if (options.filter)
      where.push(
        buildFilterSql(
          options.filter,
          FILTER_COLUMNS,
          {
            own: 'contact_attribute',
            sources: { contact_attribute: { sql: 'c.custom_attributes', types: customTypes } },
          },
          params,
        ),
      );

    const sort = options.sort ?? '-last_activity_at';
    const direction = sort.startsWith('-') ? 'DESC' : 'ASC';
    const column = SORT_COLUMNS[sort.replace(/^-/, '')] ?? 'c.last_activity_at';
    const offset = (options.page - 1) * pageSize;

    const [{ count }] = await this.dataSource.query(
      `SELECT count(*)::int AS count FROM contacts c WHERE ${where.join(' AND ')}`,
      params,
    );
    const rows: Contact[] = await this.dataSource.query(
      `SELECT c.* FROM contacts c WHERE ${where.join(' AND ')}
          ORDER BY ${column} ${direction} NULLS LAST, c.id ${direction}
          LIMIT ${pageSize} OFFSET ${offset}`,
      params,
    );
    return { count, rows };
  }
}
