import { Command } from '@nestjs/cqrs';

/**
 * Deletes an account label. Conversations and contacts keep carrying its title, as in
 * Chatwoot (a label re-created with that title applies to them again).
 */
export class DeleteLabelCommand extends Command<void> {
  constructor(
    readonly accountId: number,
    readonly labelId: number,
  ) {
    super();
  }
}
