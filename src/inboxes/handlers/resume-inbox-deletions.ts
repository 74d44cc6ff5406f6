import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { InboxDeletedEvent } from '../events/inbox-deleted.event.js';

/** After a restart, carries on purging inboxes whose deletion had started. */
@Injectable()
export class ResumeInboxDeletions implements OnApplicationBootstrap {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const rows: { id: number; account_id: number }[] = await this.dataSource.query(
      `SELECT id, account_id FROM inboxes WHERE deleted_at IS NOT NULL`,
    );
    for (const row of rows) this.events.publish(new InboxDeletedEvent(row.account_id, row.id));
  }
}
