import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { AgentRemovedEvent } from '../../accounts/index.js';

/** An agent who leaves an account leaves its inboxes too. */
@EventsHandler(AgentRemovedEvent)
export class RemoveMembershipsOnAgentRemoved implements IEventHandler<AgentRemovedEvent> {
  constructor(private readonly dataSource: DataSource) {}

  async handle({ accountId, userId }: AgentRemovedEvent): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM inbox_members WHERE user_id = $1 AND inbox_id IN (SELECT id FROM inboxes WHERE account_id = $2)`,
      [userId, accountId],
    );
  }
}
