import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { WebhookEndpoint } from '../entities/webhook-endpoint.entity.js';

export class WebhookResponse {
  @ApiProperty() id: number;
  @ApiProperty() account_id: number;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty() url: string;
  @ApiProperty({ type: [String] }) subscriptions: string[];
  @ApiProperty({ nullable: true, type: Number }) inbox_id: number | null;
  @ApiProperty({ description: 'Signing secret (whsec_...); verify webhook-signature with it' })
  secret: string;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ nullable: true, type: String }) disabled_at: string | null;
  @ApiProperty({ nullable: true, type: String }) disabled_reason: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Start of the current run of failures',
  })
  failing_since: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Until when the previous secret also signs',
  })
  previous_secret_expires_at?: string | null;
  @ApiProperty() created_at: string;
}

function iso(value: Date | string | null): string | null {
  return value ? new Date(value).toISOString() : null;
}

export function endpointState(endpoint: WebhookEndpoint) {
  return {
    enabled: endpoint.disabled_at === null,
    disabled_at: iso(endpoint.disabled_at),
    disabled_reason: endpoint.disabled_reason,
    failing_since: iso(endpoint.failing_since),
  };
}

/** An inbox's own webhook, as GET /inboxes/{id}/webhook shows it. */
export function toInboxWebhookView(endpoint: WebhookEndpoint) {
  return {
    inbox_id: endpoint.inbox_id,
    url: endpoint.url,
    secret: endpoint.secret,
    previous_secret_active:
      endpoint.previous_secret !== null &&
      new Date(endpoint.previous_secret_expires_at ?? 0).getTime() > Date.now(),
    ...endpointState(endpoint),
  };
}

export function toWebhookResponse(endpoint: WebhookEndpoint): WebhookResponse {
  return {
    id: endpoint.id,
    account_id: endpoint.account_id,
    name: endpoint.name,
    url: endpoint.url ?? '',
    subscriptions: endpoint.subscriptions,
    inbox_id: endpoint.inbox_id,
    secret: endpoint.secret ?? '',
    ...endpointState(endpoint),
    previous_secret_expires_at:
      endpoint.previous_secret &&
      new Date(endpoint.previous_secret_expires_at ?? 0).getTime() > Date.now()
        ? iso(endpoint.previous_secret_expires_at)
        : null,
    created_at: new Date(endpoint.created_at).toISOString(),
  };
}

export class AttemptResponse {
  @ApiProperty() attempted_at: string;
  @ApiProperty({ nullable: true, type: Number }) status_code: number | null;
  @ApiProperty() duration_ms: number;
  @ApiProperty({ nullable: true, type: String, description: 'First 4 KiB of the answer' })
  response_excerpt: string | null;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
}

export class DeliveryResponse {
  @ApiProperty() id: number;
  @ApiProperty() webhook_id: number;
  @ApiProperty({ description: 'Same as the webhook-id header' }) event_id: string;
  @ApiProperty() event: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Conversation display id' })
  conversation_id: number | null;
  @ApiProperty() sequence: number;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed'] }) status: string;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: String }) next_attempt_at: string | null;
  @ApiProperty({ nullable: true, type: Number }) last_status_code: number | null;
  @ApiProperty({ nullable: true, type: String }) last_error: string | null;
  @ApiProperty({ nullable: true, type: String }) delivered_at: string | null;
  @ApiProperty({ nullable: true, type: String }) failed_at: string | null;
  @ApiProperty() created_at: string;
  @ApiPropertyOptional({ type: [AttemptResponse] }) attempt_log?: AttemptResponse[];
}

class WebhookHolder {
  @ApiProperty({ type: WebhookResponse }) webhook: WebhookResponse;
}

export class WebhookAnswer {
  @ApiProperty({ type: WebhookHolder }) payload: WebhookHolder;
}

class WebhooksHolder {
  @ApiProperty({ type: [WebhookResponse] }) webhooks: WebhookResponse[];
}

export class WebhookListAnswer {
  @ApiProperty({ type: WebhooksHolder }) payload: WebhooksHolder;
}

export class CursorMeta {
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass it back (cursor or after) for the next page',
  })
  next_cursor: string | null;
  @ApiProperty() has_more: boolean;
}

export class DeliveryPage {
  @ApiProperty({ type: [DeliveryResponse], description: 'Newest first' })
  payload: DeliveryResponse[];
  @ApiProperty({ type: CursorMeta }) meta: CursorMeta;
}

export class RecoveredAnswer {
  @ApiProperty({ description: 'Deliveries sent again plus events newly delivered' })
  recovered: number;
}

export class TestEventAnswer {
  @ApiProperty({ description: 'The delivery of the webhook_test event; follow it with GET' })
  delivery_id: number;
}

/** An API inbox's own webhook (its webhook_url). */
export class InboxWebhookResponse {
  @ApiProperty() inbox_id: number;
  @ApiProperty({ nullable: true, type: String }) url: string | null;
  @ApiProperty({ description: 'Signing secret (whsec_...)' }) secret: string;
  @ApiProperty({ description: 'Whether a rotated-out secret still signs too' })
  previous_secret_active: boolean;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ nullable: true, type: String }) disabled_at: string | null;
  @ApiProperty({ nullable: true, type: String }) disabled_reason: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Start of the current run of failures',
  })
  failing_since: string | null;
}
