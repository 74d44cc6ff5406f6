import { getSchemaPath } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';
import { eventNames } from '../outbox/index.js';
import { inboxWebhookEvents } from './webhooks.constants.js';
import { WEBHOOK_EVENT_BODIES } from './dto/webhook-events.js';

type PathItem = NonNullable<OpenAPIObject['webhooks']>[string];

const SIGNATURE_HEADERS = [
  {
    name: 'webhook-id',
    in: 'header' as const,
    required: true,
    description: 'The event_id: the same on every retry, so receivers can drop duplicates',
    schema: { type: 'string' as const },
  },
  {
    name: 'webhook-timestamp',
    in: 'header' as const,
    required: true,
    description: 'Unix seconds of this attempt; refuse ones far from your clock',
    schema: { type: 'string' as const, example: '1767225600' },
  },
  {
    name: 'webhook-signature',
    in: 'header' as const,
    required: true,
    description:
      'Standard Webhooks signatures (`v1,<base64 HMAC-SHA256 of id.timestamp.body>`), space-separated; two while a rotated secret overlaps. Verify with the endpoint secret (whsec_...), e.g. with the standardwebhooks library.',
    schema: { type: 'string' as const },
  },
];

/**
 * The OpenAPI 3.1 `webhooks` section: one POST per registered event, whose body is the event's
 * schema (the same bodies the event feed, GET /events, answers). Call it once every module has
 * registered its events.
 */
export function webhookDocuments(): Record<string, PathItem> {
  return Object.fromEntries(
    [...eventNames()].sort().map((name) => [
      name,
      {
        post: {
          tags: ['Webhooks'],
          operationId: `webhook_${name}`,
          summary: `${name} event`,
          description: [
            name === 'webhook_test'
              ? 'Sent only to the webhook a test was asked for (POST .../test).'
              : inboxWebhookEvents().includes(name)
                ? 'Sent to account webhooks subscribed to it and to the inbox webhook (webhook_url).'
                : 'Sent to account webhooks subscribed to it.',
            'Events of one conversation arrive in `sequence` order; a failed delivery is retried with backoff and holds back the later events of its conversation.',
          ].join(' '),
          parameters: SIGNATURE_HEADERS,
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: WEBHOOK_EVENT_BODIES[name]
                  ? { $ref: getSchemaPath(WEBHOOK_EVENT_BODIES[name]) }
                  : { type: 'object', description: 'Not documented yet' },
              },
            },
          },
          responses: {
            '2XX': { description: 'Received: the delivery is done' },
            '410': {
              description: 'Gone: the delivery fails and the webhook is disabled until re-enabled',
            },
            default: {
              description:
                'Any other answer or no answer within the timeout: retried later (429 and 503 may set Retry-After)',
            },
          },
        },
      },
    ]),
  );
}
