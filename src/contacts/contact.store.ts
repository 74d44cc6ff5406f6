import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { ContactConflictError } from './contacts.errors.js';
import { ContactInbox } from './entities/contact-inbox.entity.js';
import { Contact } from './entities/contact.entity.js';

/*
 * The contacts module's hand-written SQL for writers: the advisory locks and the uniqueness
 * check, each taking the unit of work's EntityManager so it joins its transaction. Reads live
 * in contact.read-model.ts.
 */

export interface ContactValues {
  name?: string;
  email?: string | null;
  phone_number?: string | null;
  identifier?: string | null;
  avatar_url?: string | null;
  blocked?: boolean;
  custom_attributes?: Record<string, unknown>;
  additional_attributes?: Record<string, unknown>;
}

const UNIQUE_FIELDS = [
  ['identifier', 'identifier', 'identifier = $2'],
  ['email', 'email', 'lower(email) = lower($2)'],
  ['phone_number', 'phone number', 'phone_number = $2'],
] as const;

/**
 * Locks, until the transaction ends, the identifier, email and phone number `values` name, so
 * two requests for the same person serialise while requests for different people never wait.
 * Keys are taken in sorted order, so two requests cannot deadlock.
 */
export async function lockContactKeys(
  manager: EntityManager,
  accountId: number,
  values: ContactValues,
): Promise<void> {
  const keys = [
    values.identifier ? `identifier:${values.identifier}` : null,
    values.email ? `email:${values.email.toLowerCase()}` : null,
    values.phone_number ? `phone:${values.phone_number}` : null,
  ]
    .filter((key): key is string => key !== null)
    .map((key) => `contact:${accountId}:${key}`)
    .sort();
  for (const key of keys) await lock(manager, key);
}

/** Holds a transaction-scoped advisory lock on `key`. */
async function lock(manager: EntityManager, key: string): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
}

/** Locks, until the transaction ends, the inbox's source_id `sourceId` (identify serialises on it). */
export function lockContactSource(
  manager: EntityManager,
  inboxId: number,
  sourceId: string,
): Promise<void> {
  return lock(manager, `contact-source:${inboxId}:${sourceId}`);
}

/** Locks, until the transaction ends, the inbox's contact links, so a link writer's check is exact. */
export function lockInboxLinks(manager: EntityManager, inboxId: number): Promise<void> {
  return lock(manager, `contact-inbox:${inboxId}`);
}

/**
 * Throws a 409 naming the existing contact when `values` would take another contact's
 * identifier, email or phone number. Exact under concurrency: it locks those values first.
 */
export async function assertUnique(
  manager: EntityManager,
  accountId: number,
  values: ContactValues,
  selfId: number | null,
): Promise<void> {
  await lockContactKeys(manager, accountId, values);
  for (const [key, label, condition] of UNIQUE_FIELDS) {
    const value = values[key];
    if (value === undefined || value === null) continue;
    const [row] = await manager.query(
      `SELECT id FROM contacts WHERE account_id = $1 AND ${condition} AND id <> $3 LIMIT 1`,
      [accountId, value, selfId ?? 0],
    );
    if (row) throw new ContactConflictError(label, row.id);
  }
}

/** The contact with `values` applied; attribute maps are merged into the existing ones. */
export function applyValues(contact: Contact, values: ContactValues): void {
  const { custom_attributes, additional_attributes, ...plain } = values;
  Object.assign(
    contact,
    Object.fromEntries(Object.entries(plain).filter(([, value]) => value !== undefined)),
  );
  if (custom_attributes)
    contact.custom_attributes = { ...contact.custom_attributes, ...custom_attributes };
  if (additional_attributes) {
    contact.additional_attributes = { ...contact.additional_attributes, ...additional_attributes };
  }
}

export async function createContactInbox(
  manager: EntityManager,
  contactId: number,
  inboxId: number,
  sourceId: string | undefined,
  hmacVerified = false,
  unverifiedMatch = false,
): Promise<ContactInbox> {
  return manager.getRepository(ContactInbox).save({
    contact_id: contactId,
    inbox_id: inboxId,
    source_id: sourceId ?? randomUUID(),
    pubsub_token: randomBytes(24).toString('base64url'),
    hmac_verified: hmacVerified,
    unverified_match: unverifiedMatch,
  });
}
