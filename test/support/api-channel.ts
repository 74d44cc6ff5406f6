import { expect } from '@jest/globals';
import { createHmac, randomBytes } from 'node:crypto';
import type TestAgent from 'supertest/lib/agent.js';
import type { TestAccount } from './factories.js';

/** Something holding an access token: an administrator's TestAccount or an agent. */
export interface Caller {
  token: string;
}

export interface TestInbox {
  id: number;
  identifier: string;
  hmacToken: string;
  /** The whole create response. */
  body: Record<string, unknown>;
}

export interface TestContact {
  id: number;
  sourceId: string;
  identifier: string | null;
}

/** A short random suffix for unique names, identifiers and ids. */
export function unique(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}

/** The hex HMAC-SHA256 of a contact identifier under an inbox's hmac_token (identifier_hash). */
export function identityHash(hmacToken: string, identifier: string): string {
  return createHmac('sha256', hmacToken).update(identifier).digest('hex');
}

/** The Application API base of an account. */
export function accountPath(account: { accountId: number }): string {
  return `/api/v1/accounts/${account.accountId}`;
}

/** The Client API base of an inbox. */
export function publicPath(inboxIdentifier: string): string {
  return `/public/api/v1/inboxes/${encodeURIComponent(inboxIdentifier)}`;
}

/** Creates an API inbox as the administrator and checks the answer. */
export async function createInbox(
  http: TestAgent,
  admin: TestAccount,
  channel: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): Promise<TestInbox> {
  const response = await http
    .post(`${accountPath(admin)}/inboxes`)
    .set('api_access_token', admin.token)
    .send({ name: unique('Inbox'), channel: { type: 'api', ...channel }, ...extra });
  expect({ status: response.status, body: response.body }).toMatchObject({ status: 201 });
  return {
    id: response.body.id,
    identifier: response.body.inbox_identifier,
    hmacToken: response.body.hmac_token,
    body: response.body,
  };
}

/** Makes agents members of an inbox. */
export async function addInboxMembers(
  http: TestAgent,
  admin: TestAccount,
  inboxId: number,
  userIds: number[],
) {
  await http
    .post(`${accountPath(admin)}/inbox_members`)
    .set('api_access_token', admin.token)
    .send({ inbox_id: inboxId, user_ids: userIds })
    .expect(200);
}

/** Creates (or identifies) a contact through the Client API. */
export async function createPublicContact(
  http: TestAgent,
  inbox: TestInbox,
  body: Record<string, unknown> = {},
): Promise<TestContact> {
  const response = await http.post(`${publicPath(inbox.identifier)}/contacts`).send(body);
  expect({ status: response.status, body: response.body }).toMatchObject({ status: 201 });
  return {
    id: response.body.id,
    sourceId: response.body.source_id,
    identifier: response.body.identifier,
  };
}

/** Opens a conversation for a contact through the Client API; answers its display id. */
export async function createPublicConversation(
  http: TestAgent,
  inbox: TestInbox,
  contact: TestContact,
  query: Record<string, string> = {},
): Promise<number> {
  const response = await http
    .post(
      `${publicPath(inbox.identifier)}/contacts/${encodeURIComponent(contact.sourceId)}/conversations`,
    )
    .query(query)
    .send({});
  expect({ status: response.status, body: response.body }).toMatchObject({ status: 201 });
  return response.body.id;
}

/** Posts a contact message through the Client API; answers the message. */
export async function postPublicMessage(
  http: TestAgent,
  inbox: TestInbox,
  contact: TestContact,
  conversationId: number,
  body: Record<string, unknown>,
  query: Record<string, string> = {},
): Promise<Record<string, unknown> & { id: number }> {
  const response = await http
    .post(
      `${publicPath(inbox.identifier)}/contacts/${encodeURIComponent(contact.sourceId)}/conversations/${conversationId}/messages`,
    )
    .query(query)
    .send(body);
  expect({ status: response.status, body: response.body }).toMatchObject({ status: 201 });
  return response.body;
}

/** An inbox with one contact (identifier set) and one open conversation holding one message. */
export async function seedConversation(
  http: TestAgent,
  admin: TestAccount,
  channel: Record<string, unknown> = {},
) {
  const inbox = await createInbox(http, admin, channel);
  const identifier = unique('crm');
  const query: Record<string, string> = inbox.body.hmac_mandatory
    ? { identifier_hash: identityHash(inbox.hmacToken, identifier) }
    : {};
  const contact = await createPublicContact(http, inbox, {
    identifier,
    name: 'Casey Contact',
    ...query,
  });
  const conversationId = await createPublicConversation(http, inbox, contact, query);
  const message = await postPublicMessage(
    http,
    inbox,
    contact,
    conversationId,
    { content: 'Hello from the contact' },
    query,
  );
  return { inbox, contact, conversationId, message };
}
