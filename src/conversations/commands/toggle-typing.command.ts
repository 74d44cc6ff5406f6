import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../common/index.js';

/** Someone started or stopped typing: records conversation_typing_on / _off. */
export class ToggleTypingCommand extends Command<void> {
  constructor(
    readonly conversationId: number,
    readonly typing: 'on' | 'off',
    readonly isPrivate: boolean,
    readonly actor: Actor,
  ) {
    super();
  }
}
