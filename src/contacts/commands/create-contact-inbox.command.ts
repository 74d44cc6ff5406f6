import { Command } from '@nestjs/cqrs';

/** Makes a contact reachable in another inbox of the account, under a source_id. */
export class CreateContactInboxCommand extends Command<{ sourceId: string }> {
  constructor(
    readonly accountId: number,
    readonly contactId: number,
    readonly inboxId: number,
    readonly sourceId?: string,
  ) {
    super();
  }
}
