// Where Chatwoot's swagger and Chatwoot's server disagree. Clients follow the server, and so does
// Conversa; the contract suite (test/support/chatwoot-contract.ts) checks those answers against
// what the server renders, and the coverage table (test/support/chatwoot-coverage.mjs) says so.

/**
 * Operations whose whole answer is checked against the shape Chatwoot's code renders (the view
 * is cited), built from the swagger's own component schemas. Keep the list small and explained.
 */
const webhookEnvelope = () => ({
  type: 'object',
  properties: {
    payload: {
      type: 'object',
      properties: { webhook: { $ref: '#/components/schemas/webhook' } },
    },
  },
});

export const SWAGGER_ERRATA = {
  // app/views/api/v1/accounts/conversations/filter.json.jbuilder: meta and payload at the top.
  'POST /api/v1/accounts/{account_id}/conversations/filter': {
    why: 'the swagger wraps the list in `data`; the filter view renders `{meta, payload}`',
    schema: (doc) => doc.components.schemas.conversation_list.properties.data,
  },
  // app/views/api/v1/accounts/webhooks/index.json.jbuilder: json.payload { json.webhooks [...] }.
  'GET /api/v1/accounts/{account_id}/webhooks': {
    why: 'the swagger shows a bare array; the index view renders `{payload: {webhooks: [...]}}`',
    schema: () => ({
      type: 'object',
      properties: {
        payload: {
          type: 'object',
          properties: {
            webhooks: { type: 'array', items: { $ref: '#/components/schemas/webhook' } },
          },
        },
      },
    }),
  },
  // app/views/api/v1/accounts/webhooks/create.json.jbuilder and update: json.payload { json.webhook }.
  'POST /api/v1/accounts/{account_id}/webhooks': {
    why: 'the swagger shows a bare webhook; the create view renders `{payload: {webhook}}`',
    schema: webhookEnvelope,
  },
  'PATCH /api/v1/accounts/{account_id}/webhooks/{webhook_id}': {
    why: 'the swagger shows a bare webhook; the update view renders `{payload: {webhook}}`',
    schema: webhookEnvelope,
  },
  // app/views/api/v1/accounts/contacts/update.json.jbuilder: json.payload { contact }, as show.
  'PUT /api/v1/accounts/{account_id}/contacts/{id}': {
    why: 'the swagger shows the contact at the top; the update view renders `{payload: contact}`, as show does',
    schema: (doc) => doc.components.schemas.contact_show_response,
  },
  // app/views/api/v1/accounts/contacts/create.json.jbuilder: json.payload { contact, contact_inbox }.
  'POST /api/v1/accounts/{account_id}/contacts': {
    why: 'the swagger shows the contact at the top; the create view renders `{payload: {contact, contact_inbox}}`',
    schema: () => ({
      type: 'object',
      properties: {
        payload: {
          type: 'object',
          properties: {
            contact: { $ref: '#/components/schemas/contact_list_item' },
            contact_inbox: {
              type: 'object',
              properties: {
                inbox: { $ref: '#/components/schemas/inbox' },
                source_id: { type: 'string' },
              },
            },
          },
        },
      },
    }),
  },
  // app/views/api/v1/accounts/inboxes/agent_bot.json.jbuilder: json.agent_bot { partial if
  // @agent_bot.present? }, so the bot is wrapped in `agent_bot`, and `{}` when the inbox has none.
  'GET /api/v1/accounts/{account_id}/inboxes/{id}/agent_bot': {
    why: 'the swagger shows a bare agent bot; the view renders `{agent_bot: bot}`, and `{agent_bot: {}}` for an inbox without one',
    schema: () => ({
      type: 'object',
      properties: {
        agent_bot: {
          anyOf: [{ $ref: '#/components/schemas/agent_bot' }, { type: 'object', maxProperties: 0 }],
        },
      },
    }),
  },
};

/** Chatwoot's account_summary with its averages as the numbers its report helper renders. */
function accountSummary() {
  const numbers = (names) => Object.fromEntries(names.map((name) => [name, { type: 'number' }]));
  const metrics = numbers([
    'avg_first_response_time',
    'avg_resolution_time',
    'conversations_count',
    'incoming_messages_count',
    'outgoing_messages_count',
    'resolutions_count',
  ]);
  return {
    type: 'object',
    properties: { ...metrics, previous: { type: 'object', properties: metrics } },
  };
}

/** Corrections to Chatwoot's component schemas: `[api, JSON pointer, value, why]`. */
export const DOCUMENT_ERRATA = [
  // Agents' availability_status is the account user's availability, stored as online, busy or
  // offline (app/models/account_user.rb; app/views/api/v1/models/_agent.json.jbuilder); the
  // swagger's "available" is never answered.
  [
    'application',
    '/components/schemas/agent/properties/availability_status/enum',
    ['online', 'busy', 'offline'],
    "an agent's `availability_status` is `online`, `busy` or `offline` (the swagger says `available`; Chatwoot's agent view renders the stored availability)",
  ],
  // app/views/api/v1/accounts/conversations/messages/index.json.jbuilder: meta.contact is the
  // contact's push_event_data, one contact; the swagger names the `contact` schema, which is a
  // `{payload: [...]}` list.
  [
    'application',
    '/paths/~1api~1v1~1accounts~1{account_id}~1conversations~1{conversation_id}~1messages/get/responses/200/content/application~1json/schema/properties/meta/properties/contact',
    { $ref: '#/components/schemas/contact_list_item' },
    "the message list's `meta.contact` is one contact (the swagger names its contact-list schema)",
  ],
  // app/models/custom_attribute_definition.rb: attribute_values is a jsonb list, rendered as is by
  // app/views/api/v1/models/_custom_attribute_definition.json.jbuilder; the create payload sends it
  // as an array of strings too.
  [
    'application',
    '/components/schemas/custom_attribute/properties/attribute_values',
    { type: 'array', items: { type: 'string' } },
    "a custom attribute definition's `attribute_values` is a list of strings (the swagger says string; Chatwoot stores and renders a jsonb list)",
  ],
  // Report values are counts or averages of reporting_events.value, a float column (db/schema.rb);
  // Rails averages a float column as a Float, so the JSON carries numbers
  // (app/builders/v2/report_builder.rb#build, app/helpers/report_helper.rb, and
  // app/builders/v2/reports/timeseries/average_report_builder.rb).
  [
    'application',
    '/paths/~1api~1v2~1accounts~1{account_id}~1reports/get/responses/200/content/application~1json/schema/items/properties/value/type',
    'number',
    "a report point's `value` is a number (the swagger says string; Chatwoot's report builders put counts and float averages there)",
  ],
  [
    'application',
    '/components/schemas/account_summary',
    accountSummary(),
    "the report summary's `avg_first_response_time` and `avg_resolution_time` (and under `previous`) are numbers of seconds (the swagger says string; app/helpers/report_helper.rb averages a float column, 0 when there is nothing)",
  ],
];
