// The webhooks module's public surface.
export { WebhooksModule } from './webhooks.module.js';
export { inboxWebhookEvents, SUBSCRIBABLE_EVENTS } from './webhooks.constants.js';
export { WebhookBacklogQuery } from './queries/webhook.queries.js';
export { USER_AGENT } from './delivery.service.js';
export { webhookDocuments } from './webhooks.openapi.js';
