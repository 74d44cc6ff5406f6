import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ChangeInboxMembersHandler } from './commands/change-inbox-members.handler.js';
import { DeleteInboxHandler } from './commands/delete-inbox.handler.js';
import { FinishInboxDeletionHandler } from './commands/finish-inbox-deletion.handler.js';
import { SaveInboxHandler } from './commands/save-inbox.handler.js';
import { InboxMember } from './entities/inbox-member.entity.js';
import { Inbox } from './entities/inbox.entity.js';
import { RemoveMembershipsOnAgentRemoved } from './handlers/remove-memberships-on-agent-removed.handler.js';
import { ResumeInboxDeletions } from './handlers/resume-inbox-deletions.js';
import { InboxMembersController } from './inbox-members.controller.js';
import { InboxesController } from './inboxes.controller.js';
import { AccessibleInboxesHandler } from './queries/accessible-inboxes.handler.js';
import { FindInboxHandler } from './queries/find-inbox.handler.js';
import { ListInboxMembersHandler } from './queries/list-inbox-members.handler.js';
import { ListInboxesHandler } from './queries/list-inboxes.handler.js';
import { LiveInboxIdsHandler } from './queries/live-inbox-ids.handler.js';
import { InboxStore } from './inbox.store.js';

@Module({
  imports: [TypeOrmModule.forFeature([Inbox, InboxMember])],
  controllers: [InboxesController, InboxMembersController],
  providers: [
    InboxStore,
    SaveInboxHandler,
    DeleteInboxHandler,
    FinishInboxDeletionHandler,
    ChangeInboxMembersHandler,
    ListInboxesHandler,
    FindInboxHandler,
    AccessibleInboxesHandler,
    LiveInboxIdsHandler,
    ListInboxMembersHandler,
    RemoveMembershipsOnAgentRemoved,
    ResumeInboxDeletions,
  ],
})
export class InboxesModule {}
