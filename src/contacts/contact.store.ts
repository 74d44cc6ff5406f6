import { randomBytes, randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import { hasLabelSql, renamedLabelsSql } from '../common/index.js';
import type { EntityManager } from 'typeorm';
import {
  ContactConflictError,
  ContactNotFoundError,
  SameContactMergeError,
} from './contacts.errors.js';
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

/** Replaces the contact's labels (a set: duplicates dropped, first spelling kept). */
export async function setContactLabels(
  manager: EntityManager,
  accountId: number,
  contactId: number,
  labels: string[],
): Promise<{ contact: Contact; changed: boolean }> {
  const contacts = manager.getRepository(Contact);
  const contact = await contacts.findOne({
    where: { id: contactId, account_id: accountId },
    lock: { mode: 'pessimistic_write' },
  });
  if (!contact) throw new ContactNotFoundError(contactId);
  const next = [...new Set(labels)];
  const changed =
    next.length !== contact.labels.length || next.some((label, i) => label !== contact.labels[i]);
  if (changed) {
    await contacts.update({ id: contactId }, { labels: next });
    contact.labels = next;
  }
  return { contact, changed };
}

/**
 * Renames the account label `from` (any case) to `to` on every contact of the account carrying
 * it, as Chatwoot's label rename does. One statement, in the caller's transaction.
 */
export async function renameContactLabel(
  manager: EntityManager,
  accountId: number,
  from: string,
  to: string,
): Promise<void> {
  await manager.query(
    `UPDATE contacts c SET labels = ${renamedLabelsSql('c.labels', 'kept')}
      WHERE c.account_id = $1 AND ${hasLabelSql('c.labels')}`,
    [accountId, from.toLowerCase(), to],
  );
}

/** The attributes Chatwoot's merge carries over from the mergee where the base has none. */
const MERGED_KEYS = [
  'identifier',
  'name',
  'email',
  'phone_number',
  'additional_attributes',
  'custom_attributes',
] as const;

const isBlank = (value: unknown): boolean =>
  value === null ||
  value === undefined ||
  (typeof value === 'string' && value.trim() === '') ||
  (typeof value === 'object' && Object.keys(value).length === 0);

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `over` merged into `under`, recursively for maps; `over`'s values win. */
function deepMerge(
  under: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const merged = { ...under };
  for (const [key, value] of Object.entries(over)) {
    const below = merged[key];
    merged[key] = isMap(value) && isMap(below) ? deepMerge(below, value) : value;
  }
  return merged;
}

/**
 * Merges the contact `mergeeId` into `baseId` inside the caller's transaction, as Chatwoot's
 * ContactMergeAction does: `moveDependents` moves other modules' rows (conversations, message
 * senders) first, then the contact inboxes move, the mergee is deleted and the base takes the
 * mergee's identifier, name, email, phone number and attributes wherever its own are blank
 * (attribute maps are deep-merged, the base's values winning). Labels are united and
 * last_activity_at is the later of the two, so nothing is lost.
 */
export async function mergeContacts(
  manager: EntityManager,
  accountId: number,
  baseId: number,
  mergeeId: number,
  moveDependents: (fromContactId: number, toContactId: number) => Promise<void>,
): Promise<{ base: Contact; mergee: Contact }> {
  if (baseId === mergeeId) throw new SameContactMergeError(baseId);
  const contacts = manager.getRepository(Contact);
  const rows = await contacts.find({
    where: { id: In([baseId, mergeeId]), account_id: accountId },
    order: { id: 'ASC' },
    lock: { mode: 'pessimistic_write' },
  });
  const base = rows.find((row) => row.id === baseId);
  const mergee = rows.find((row) => row.id === mergeeId);
  if (!base) throw new ContactNotFoundError(baseId);
  if (!mergee) throw new ContactNotFoundError(mergeeId);
  const mergeeSnapshot = { ...mergee };

  await moveDependents(mergee.id, base.id);
  await manager
    .getRepository(ContactInbox)
    .update({ contact_id: mergee.id }, { contact_id: base.id });

  const values: Record<string, unknown> = {};
  for (const key of MERGED_KEYS) {
    const mine = base[key];
    const theirs = mergee[key];
    if (isMap(mine) && isMap(theirs)) values[key] = deepMerge(theirs, mine);
    else values[key] = isBlank(mine) && !isBlank(theirs) ? theirs : mine;
  }
  const labels = [...new Set([...base.labels, ...mergee.labels])];
  const lastActivity = [base.last_activity_at, mergee.last_activity_at]
    .filter((date): date is Date => date !== null)
    .sort((a, b) => b.getTime() - a.getTime())[0];
  await lockContactKeys(manager, accountId, values as ContactValues);
  // The mergee goes first: the base may take its email, phone number or identifier.
  await contacts.delete({ id: mergee.id });
  Object.assign(base, values, { labels, last_activity_at: lastActivity ?? null });
  const saved = await contacts.save(base);
  return { base: saved, mergee: mergeeSnapshot };
}
