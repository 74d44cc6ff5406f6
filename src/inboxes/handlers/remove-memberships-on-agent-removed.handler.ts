import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { AgentRemovedEvent } from '../../accounts/index.js';
import { InboxStore } from '../inbox.store.js';

/** An agent who leaves an account leaves its inboxes too. */
@EventsHandler(AgentRemovedEvent)
export class RemoveMembershipsOnAgentRemoved implements IEventHandler<AgentRemovedEvent> {
  constructor(private readonly store: InboxStore) {}

  async handle({ accountId, userId }: AgentRemovedEvent): Promise<void> {
    await this.store.removeMemberships(accountId, userId);
  }
}
