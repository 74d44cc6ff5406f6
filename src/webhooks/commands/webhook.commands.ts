import { Command } from '@nestjs/cqrs';

/** An endpoint as the API names it: an account webhook by id, or an inbox's own webhook. */
export type EndpointRef =
  { accountId: number; webhookId: number } | { accountId: number; inboxId: number };

export interface WebhookFields {
  url?: string;
  name?: string;
  subscriptions?: string[];
  inboxId?: number | null;
  enabled?: boolean;
}

/** Creates (webhookId null) or updates an account webhook; the URL is checked against SSRF rules. */
export class SaveWebhookCommand extends Command<{ id: number }> {
  constructor(
    readonly accountId: number,
    readonly webhookId: number | null,
    readonly fields: WebhookFields,
  ) {
    super();
  }
}

export class DeleteWebhookCommand extends Command<void> {
  constructor(
    readonly accountId: number,
    readonly webhookId: number,
  ) {
    super();
  }
}

/** Enables (clearing the failure state and waking its deliveries) or disables an endpoint. */
export class SetEndpointEnabledCommand extends Command<void> {
  constructor(
    readonly endpoint: EndpointRef,
    readonly enabled: boolean,
  ) {
    super();
  }
}

/** New secret; the old one keeps signing (both signatures sent) for the configured overlap. */
export class RotateWebhookSecretCommand extends Command<void> {
  constructor(readonly endpoint: EndpointRef) {
    super();
  }
}

/** Sends every failed delivery of the endpoint created since `since` again. */
export class RecoverDeliveriesCommand extends Command<{ count: number }> {
  constructor(
    readonly endpoint: EndpointRef,
    readonly since: Date,
  ) {
    super();
  }
}

/** Sends one delivery again (its attempts continue in the same log). */
export class RedeliverCommand extends Command<void> {
  constructor(
    readonly accountId: number,
    readonly deliveryId: string,
  ) {
    super();
  }
}

/** Records a webhook_test event for the endpoint alone and delivers it. */
export class SendTestEventCommand extends Command<{ deliveryId: string }> {
  constructor(readonly endpoint: EndpointRef) {
    super();
  }
}
