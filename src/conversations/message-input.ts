import type { NewMessage } from './conversation.store.js';
import type { CreateMessageRequest } from './dto/conversation.requests.js';

/**
 * A message as the Application API sends it (POST …/messages, or the `message` of a new
 * conversation), for CreateMessageCommand. Where Chatwoot's MessageBuilder keeps a field,
 * Conversa keeps it in the same place: template_params and campaign_id in
 * additional_attributes, external_created_at in content_attributes.
 */
export function newMessageOf(
  body: CreateMessageRequest,
  ids: { author: { type: 'user' | 'agent_bot'; id: number }; contactId: number | null },
): NewMessage {
  const incoming = body.message_type === 'incoming';
  const additional: Record<string, unknown> = {};
  if (body.template_params != null) additional.template_params = body.template_params;
  if (body.campaign_id != null) additional.campaign_id = body.campaign_id;
  const contentAttributes =
    body.external_created_at != null
      ? { ...body.content_attributes, external_created_at: body.external_created_at }
      : (body.content_attributes ?? undefined);
  return {
    messageType: incoming ? 'incoming' : 'outgoing',
    content: body.content ?? null,
    contentType: body.content_type,
    contentAttributes,
    ...(Object.keys(additional).length ? { additionalAttributes: additional } : {}),
    private: incoming ? false : (body.private ?? false),
    sourceId: body.source_id,
    echoId: body.echo_id,
    // An incoming message of a conversation being created: its handler knows the contact.
    sender: incoming
      ? ids.contactId === null
        ? null
        : { type: 'contact', id: ids.contactId }
      : ids.author,
  };
}
