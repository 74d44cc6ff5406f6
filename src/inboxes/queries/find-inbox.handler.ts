import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import { ChangeFeed } from '../../database/index.js';
import type { ChangeCache } from '../../database/index.js';
import { IsNull, Repository } from 'typeorm';
import { InboxRef, toInboxRef } from '../dto/inbox.response.js';
import { InboxMember } from '../entities/inbox-member.entity.js';
import { Inbox } from '../entities/inbox.entity.js';
import { InboxStore } from '../inbox.store.js';
import { InboxIdentifierNotFoundError, InboxNotFoundError } from '../inboxes.errors.js';
import { FindInboxQuery } from './find-inbox.query.js';

/** The change-feed topic every writer of inboxes announces. */
export const INBOXES_TOPIC = 'inboxes';

@QueryHandler(FindInboxQuery)
export class FindInboxHandler implements IQueryHandler<FindInboxQuery> {
  private readonly byIdentifier: ChangeCache<Inbox | undefined>;

  constructor(
    @InjectRepository(Inbox) private readonly inboxes: Repository<Inbox>,
    @InjectRepository(InboxMember) private readonly members: Repository<InboxMember>,
    private readonly store: InboxStore,
    changes: ChangeFeed,
  ) {
    this.byIdentifier = changes.cache(INBOXES_TOPIC);
  }

  async execute({ lookup }: FindInboxQuery): Promise<InboxRef> {
    if ('identifier' in lookup) {
      // Every Client API request starts here; inboxes rarely change, and every change is
      // announced on the change feed, which empties this cache in every process.
      const inbox = await this.byIdentifier.get(lookup.identifier, () =>
        this.store.findByIdentifier(lookup.identifier),
      );
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
    if (viewer?.inboxIds) {
      // An agent bot acts only in the inboxes it is attached to.
      if (!viewer.inboxIds.includes(inbox.id)) throw new InboxNotFoundError(lookup.inboxId);
    } else if (viewer && viewer.role !== 'administrator') {
      // Agents act only in inboxes they belong to; to them the others do not exist.
      const member = await this.members.existsBy({ inbox_id: inbox.id, user_id: viewer.userId });
      if (!member) throw new InboxNotFoundError(lookup.inboxId);
    }
    return toInboxRef(inbox);
  }
}
