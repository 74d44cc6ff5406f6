import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { EventPublisher } from '../../outbox/index.js';
import { ConversationEvents } from '../conversation-writer.js';
import { ToggleTypingCommand } from './toggle-typing.command.js';

@CommandHandler(ToggleTypingCommand)
export class ToggleTypingHandler implements ICommandHandler<ToggleTypingCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
  ) {}

  async execute({ conversationId, typing, isPrivate, actor }: ToggleTypingCommand): Promise<void> {
    const records = await this.dataSource.transaction(async (manager) => {
      const events = new ConversationEvents(manager, conversationId, actor);
      await events.conversation(
        typing === 'on' ? 'conversation_typing_on' : 'conversation_typing_off',
        {
          is_private: isPrivate,
          user: { type: actor.type, id: actor.id },
        },
      );
      return events.records;
    });
    this.events.publish(records);
  }
}
