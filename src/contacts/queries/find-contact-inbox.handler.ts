import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { batchLookup } from '../../common/index.js';
import { ContactSourceNotFoundError } from '../contacts.errors.js';
import { contactPushData, ContactInboxRef } from '../dto/contact.responses.js';
import { ContactInbox } from '../entities/contact-inbox.entity.js';
import { Contact } from '../entities/contact.entity.js';
import { FindContactInboxQuery } from './find-contact-inbox.query.js';

@QueryHandler(FindContactInboxQuery)
export class FindContactInboxHandler implements IQueryHandler<FindContactInboxQuery> {
  /** Every Client API request resolves its contact: concurrent ones share a query. */
  private readonly bySource = batchLookup<
    { inboxId: number; sourceId: string },
    Contact & { link: ContactInbox }
  >(
    (keys) =>
      this.dataSource.query(
        `SELECT c.*, row_to_json(ci) AS link
           FROM unnest($1::int[], $2::text[]) AS k(inbox_id, source_id)
           JOIN contact_inboxes ci ON ci.inbox_id = k.inbox_id AND ci.source_id = k.source_id
           JOIN contacts c ON c.id = ci.contact_id`,
        [keys.map((key) => key.inboxId), keys.map((key) => key.sourceId)],
      ),
    (row) => `${row.link.inbox_id}:${row.link.source_id}`,
    (key) => `${key.inboxId}:${key.sourceId}`,
  );

  constructor(private readonly dataSource: DataSource) {}

  async execute({ inboxId, sourceId }: FindContactInboxQuery): Promise<ContactInboxRef> {
    const row = await this.bySource({ inboxId, sourceId });
    if (!row) throw new ContactSourceNotFoundError(sourceId);
    const { link, ...contact } = row;
    return {
      id: link.id,
      contactId: contact.id,
      inboxId,
      sourceId: link.source_id,
      pubsubToken: link.pubsub_token,
      hmacVerified: link.hmac_verified,
      contact: contactPushData(contact),
    };
  }
}
