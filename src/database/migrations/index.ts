import { CreateAccounts1795400000000 } from './1795400000000-create-accounts.js';
import { CreateApiChannel1795410000000 } from './1795410000000-create-api-channel.js';
import { CreateWebhooks1795420000000 } from './1795420000000-create-webhooks.js';
import { CreateAutomation1795430000000 } from './1795430000000-create-automation.js';
import { IdempotencyApplied1795440000000 } from './1795440000000-idempotency-applied.js';
import { DeliveryOrderIndexes1795450000000 } from './1795450000000-delivery-order-indexes.js';
import { ConversationListIndexes1795460000000 } from './1795460000000-conversation-list-indexes.js';
import { AuthorizationHardening1795473100000 } from './1795473100000-authorization-hardening.js';
import { AccountInvitations1795473200000 } from './1795473200000-account-invitations.js';
import { InboxWebhooksInEndpoints1795474000000 } from './1795474000000-inbox-webhooks-in-endpoints.js';
import { AccountAndProfileSettings1795480000000 } from './1795480000000-account-and-profile-settings.js';
import { ChatwootInboxSettings1795481000000 } from './1795481000000-chatwoot-inbox-settings.js';
import { AccountResources1795482000000 } from './1795482000000-account-resources.js';
import { CustomAttributeDefinitions1795483000000 } from './1795483000000-custom-attribute-definitions.js';
import { InboxHmacScope1795483100000 } from './1795483100000-inbox-hmac-scope.js';
import { AgentBots1795485000000 } from './1795485000000-agent-bots.js';
import { ReportsAndAuditLogs1795486000000 } from './1795486000000-reports-and-audit-logs.js';
import { CreateAttachments1795484000000 } from './1795484000000-create-attachments.js';
import { DeliveryStreamHeads1795492000000 } from './1795492000000-delivery-stream-heads.js';
import { ReportsAtSize1795494000000 } from './1795494000000-reports-at-size.js';
import { SnoozedUntilIndex1795495000000 } from './1795495000000-snoozed-until-index.js';

/**
 * Every migration, oldest first. Listed explicitly (not globbed) so the app, the CLI and the
 * tests run exactly the same set; add a generated migration here after reviewing it.
 */
export const migrations = [
  CreateAccounts1795400000000,
  CreateApiChannel1795410000000,
  CreateWebhooks1795420000000,
  CreateAutomation1795430000000,
  IdempotencyApplied1795440000000,
  DeliveryOrderIndexes1795450000000,
  ConversationListIndexes1795460000000,
  AuthorizationHardening1795473100000,
  AccountInvitations1795473200000,
  InboxWebhooksInEndpoints1795474000000,
  AccountAndProfileSettings1795480000000,
  ChatwootInboxSettings1795481000000,
  AccountResources1795482000000,
  CustomAttributeDefinitions1795483000000,
  InboxHmacScope1795483100000,
  AgentBots1795485000000,
  ReportsAndAuditLogs1795486000000,
  CreateAttachments1795484000000,
  DeliveryStreamHeads1795492000000,
  ReportsAtSize1795494000000,
  SnoozedUntilIndex1795495000000,
];
