import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../common/index.js';

/** Removes a user from an account (and its teams); the user keeps their other accounts. */
export class RemoveAgentCommand extends Command<void> {
  constructor(
    readonly accountId: number,
    readonly userId: number,
    readonly actor: Actor,
  ) {
    super();
  }
}
