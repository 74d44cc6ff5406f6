import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../outbox/index.js';
import { ConversationSnapshot } from '../conversation.store.js';
import {
  ConversationTypingOffEvent,
  ConversationTypingOnEvent,
} from '../events/conversation-typing.event.js';
import { ToggleTypingCommand } from './toggle-typing.command.js';

@CommandHandler(ToggleTypingCommand)
export class ToggleTypingHandler implements ICommandHandler<ToggleTypingCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ conversationId, typing, isPrivate, actor }: ToggleTypingCommand): Promise<void> {
    await this.uow.run(async ({ manager, record }) => {
      const at = await new ConversationSnapshot(manager, conversationId).at();
      const user = { type: actor.type, id: actor.id };
      record(
        typing === 'on'
          ? new ConversationTypingOnEvent(at, isPrivate, user, actor)
          : new ConversationTypingOffEvent(at, isPrivate, user, actor),
      );
    });
  }
}
