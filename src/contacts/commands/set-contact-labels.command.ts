import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../common/index.js';

/** Replaces a contact's labels with exactly these; answers the labels it now has. */
export class SetContactLabelsCommand extends Command<{ labels: string[] }> {
  constructor(
    readonly accountId: number,
    readonly contactId: number,
    readonly labels: string[],
    readonly actor: Actor,
  ) {
    super();
  }
}
