import { Module } from '@nestjs/common';
import { PublicContactsController } from './public-contacts.controller.js';
import { PublicContext } from './public-context.service.js';
import { PublicConversationsController } from './public-conversations.controller.js';

/** The public Client API: HTTP in, commands and queries of the other modules out. No tables. */
@Module({
  controllers: [PublicContactsController, PublicConversationsController],
  providers: [PublicContext],
})
export class ApiChannelModule {}
