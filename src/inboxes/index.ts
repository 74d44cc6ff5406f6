// The inboxes module's public surface.
export { InboxesModule } from './inboxes.module.js';
export { InboxResponse } from './dto/inbox.response.js';
export type { InboxRef } from './dto/inbox.response.js';
export { InboxDeletedEvent } from './events/inbox-deleted.event.js';
export { FinishInboxDeletionCommand } from './commands/finish-inbox-deletion.command.js';
export {
  acceptsMessagesAfterResolved,
  agentBotOfInbox,
  attachAgentBot,
  inboxesOfAgentBot,
} from './inbox-policies.js';
export { FindInboxQuery } from './queries/find-inbox.query.js';
export type { InboxLookup } from './queries/find-inbox.query.js';
export { AccessibleInboxesQuery } from './queries/accessible-inboxes.query.js';
export { LiveInboxIdsQuery } from './queries/live-inbox-ids.query.js';
export { ListInboxMembersQuery } from './queries/list-inbox-members.query.js';
export { ListInboxesQuery } from './queries/list-inboxes.query.js';
export type { InboxViewer } from './queries/list-inboxes.query.js';
export { SetInboxWebhookCommand } from './commands/set-inbox-webhook.command.js';
export type { InboxWebhook } from './commands/set-inbox-webhook.command.js';
export { InboxWebhooksQuery } from './queries/inbox-webhooks.query.js';
export { SetInboxAssignmentLimitCommand } from './commands/set-inbox-assignment-limit.command.js';
export { InboxAssignmentLimitsQuery } from './queries/inbox-assignment-limits.query.js';
export { SaveInboxCommand } from './commands/save-inbox.command.js';
export { InboxEvent } from './events/inbox-event.js';
export type { InboxEventData } from './events/inbox-event.js';
export { InboxCreatedEvent } from './events/inbox-created.event.js';
export { InboxUpdatedEvent } from './events/inbox-updated.event.js';
// SQL for other modules' statements that read this module's tables (one statement, one owner).
export { InboxSql } from './inbox-sql.js';
