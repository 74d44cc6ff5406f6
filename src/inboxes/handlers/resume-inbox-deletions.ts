import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { InboxDeletedEvent } from '../events/inbox-deleted.event.js';
import { InboxStore } from '../inbox.store.js';

/** After a restart, carries on purging inboxes whose deletion had started. */
@Injectable()
export class ResumeInboxDeletions implements OnApplicationBootstrap {
  constructor(
    private readonly store: InboxStore,
    private readonly events: EventBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const row of await this.store.deleting())
      this.events.publish(new InboxDeletedEvent(row.account_id, row.id));
  }
}
