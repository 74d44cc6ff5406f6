import { ContactReadModel } from './contact.read-model.js';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CreateContactInboxHandler } from './commands/create-contact-inbox.handler.js';
import { DeleteContactHandler } from './commands/delete-contact.handler.js';
import { IdentifyContactHandler } from './commands/identify-contact.handler.js';
import { SaveContactHandler } from './commands/save-contact.handler.js';
import { ContactLabelsController } from './contact-labels.controller.js';
import { ContactsController } from './contacts.controller.js';
import { MergeContactsHandler } from './commands/merge-contacts.handler.js';
import { SetContactLabelsHandler } from './commands/set-contact-labels.handler.js';
import { ContactInbox } from './entities/contact-inbox.entity.js';
import { Contact } from './entities/contact.entity.js';
import { FindContactInboxHandler } from './queries/find-contact-inbox.handler.js';
import { InboxOfSourceHandler } from './queries/inbox-of-source.handler.js';
import { GetContactHandler, GetContactsHandler } from './queries/get-contact.handler.js';
import { ListContactsHandler } from './queries/list-contacts.handler.js';

@Module({
  imports: [TypeOrmModule.forFeature([Contact, ContactInbox])],
  controllers: [ContactsController, ContactLabelsController],
  providers: [
    ContactReadModel,
    SaveContactHandler,
    IdentifyContactHandler,
    DeleteContactHandler,
    CreateContactInboxHandler,
    SetContactLabelsHandler,
    MergeContactsHandler,
    ListContactsHandler,
    GetContactHandler,
    GetContactsHandler,
    FindContactInboxHandler,
    InboxOfSourceHandler,
  ],
})
export class ContactsModule {}
