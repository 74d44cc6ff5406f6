import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import { PreparedQuery } from '../../database/index.js';
import { IsNull, Repository } from 'typeorm';
import { InboxRef, toInboxRef } from '../dto/inbox.response.js';
import { InboxMember } from '../entities/inbox-member.entity.js';
import { Inbox } from '../entities/inbox.entity.js';
import { InboxIdentifierNotFoundError, InboxNotFoundError } from '../inboxes.errors.js';
import { FindInboxQuery } from './find-inbox.query.js';

/** Every Client API request looks its inbox up this way. */
const BY_IDENTIFIER = new PreparedQuery<Inbox>(
  'inbox_by_identifier',
  `SELECT * FROM inboxes WHERE identifier = $1 AND deleted_at IS NULL`,
);

@QueryHandler(FindInboxQuery)
export class FindInboxHandler implements IQueryHandler<FindInboxQuery> {
  constructor(
    @InjectRepository(Inbox) private readonly inboxes: Repository<Inbox>,
    @InjectRepository(InboxMember) private readonly members: Repository<InboxMember>,
  ) {}

  async execute({ lookup }: FindInboxQuery): Promise<InboxRef> {
    if ('identifier' in lookup) {
      const inbox = await BY_IDENTIFIER.first(this.inboxes.manager, [lookup.identifier]);
      if (!inbox) throw new InboxIdentifierNotFoundError(lookup.identifier);
      return toInboxRef(inbox);
    }
    const inbox = await this.inboxes.findOneBy({
      id: lookup.inboxId,
      account_id: lookup.accountId,
      deleted_at: IsNull(),
    });
    if (!inbox) throw new InboxNotFoundError(lookup.inboxId);
    const { viewer } = lookup;
    if (viewer && viewer.role !== 'administrator') {
      // Agents act only in inboxes they belong to; to them the others do not exist.
      const member = await this.members.existsBy({ inbox_id: inbox.id, user_id: viewer.userId });
      if (!member) throw new InboxNotFoundError(lookup.inboxId);
    }
    return toInboxRef(inbox);
  }
}
