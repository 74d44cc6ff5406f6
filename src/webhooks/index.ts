// The webhooks module's public surface.
export { WebhooksModule } from './webhooks.module.js';
export { inboxWebhookEvents, SUBSCRIBABLE_EVENTS } from './webhooks.constants.js';
export { WebhookBacklogQuery } from './queries/webhook.queries.js';
export { USER_AGENT } from './delivery.service.js';
export { webhookDocuments } from './webhooks.openapi.js';
// Agent bots' endpoints: written by the agent bots module inside its own transactions.
export {
  agentBotSecrets,
  InProcessReceivers,
  saveAgentBotEndpoint,
} from './agent-bot-endpoints.js';
export type { InProcessReceiver } from './agent-bot-endpoints.js';
export { AgentBotDeliveryFailedEvent } from './events/agent-bot-delivery-failed.event.js';
