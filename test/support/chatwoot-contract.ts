import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { createHmac, randomBytes } from 'node:crypto';
import { FIXTURE_PASSWORD } from './api-fixture.mjs';
import { chatwootDocuments } from './chatwoot-coverage.mjs';
import { DOCUMENT_ERRATA, SWAGGER_ERRATA } from './chatwoot-errata.mjs';
import type { ChatwootOperation } from './chatwoot-coverage.mjs';

/* eslint-disable @typescript-eslint/no-explicit-any -- Chatwoot's documents are walked as plain JSON */

/** The id (or identifier) of a fixture row of a kind named by test/support/openapi-walk.mjs. */
export type IdFor = (kind: string) => number | string;

/** One request, as a client generated from Chatwoot's documents would send it. */
export interface ContractRequest {
  method: string;
  /** The path with its parameters filled in, and the query string. */
  url: string;
  body?: Record<string, unknown>;
  /** Whether Chatwoot's document asks for the `api_access_token` header (Client API: no). */
  authenticated: boolean;
}

/**
 * Request fields (body and query) that name rows of the account, by Chatwoot's field name: they
 * take the fixture's ids instead of the documents' example values (`1`). An array kind means a
 * list of ids.
 */
const ID_FIELDS: Record<string, string | [string]> = {
  inbox_id: 'inbox',
  contact_id: 'contact',
  assignee_id: 'agent',
  team_id: 'team',
  user_id: 'agent',
  user_ids: ['agent'],
  base_contact_id: 'contact',
  // A second contact of the account, made by the suite: a merge takes it away.
  mergee_contact_id: 'otherContact',
};

/**
 * Query values the schema leaves open but the description names (`name` of reporting events:
 * "e.g., first_response, resolution, reply_time"): the first one named.
 */
const QUERY_OVERRIDES: Record<string, Record<string, string>> = {
  'GET /api/v1/accounts/{account_id}/reporting_events': { name: 'first_response' },
};

/**
 * Body fields (top level) that must differ between rows (a contact's identifier, a team's name):
 * the documents' single example would collide with the row an earlier request made from it, in
 * Chatwoot as here.
 */
const DISTINCT_FIELDS = new Set([
  'identifier',
  'email',
  'phone_number',
  'name',
  'title',
  'attribute_key',
  'short_code',
]);

function distinct(name: string, example: string): string {
  const suffix = randomBytes(4).toString('hex');
  if (name === 'email') return `contract-${suffix}@example.com`;
  if (name === 'phone_number')
    return `+1555${parseInt(suffix, 16).toString().slice(-7).padStart(7, '0')}`;
  return `${example}_${suffix}`;
}

/**
 * Fields whose meaning depends on the operation, set after the body is built from the schema.
 * Each says why.
 */
const BODY_OVERRIDES: Record<
  string,
  (ids: IdFor, body: Record<string, unknown>) => Record<string, unknown>
> = {
  // The conversation is opened for an existing contact inbox: source_id names it.
  'POST /api/v1/accounts/{account_id}/conversations': (ids) => ({
    source_id: ids('contactSource'),
  }),
  // Conversa serves API-channel inboxes only (README); the document's example is a web widget.
  'POST /api/v1/accounts/{account_id}/inboxes': (_, body) => ({
    channel: { ...(body.channel as object), type: 'api' },
  }),
  // A new contact inbox: its source_id must be new.
  'POST /api/v1/accounts/{account_id}/contacts/{id}/contact_inboxes': () => ({
    source_id: `contract-${randomBytes(4).toString('hex')}`,
  }),
};

/** The schema behind `$ref`s, with `allOf` members merged and `oneOf`/`anyOf` taken at their first. */
export function resolve(doc: any, schema: any, depth = 0): any {
  if (!schema || typeof schema !== 'object' || depth > 20) return schema ?? {};
  if (schema.$ref) {
    const target = schema.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce((node: any, key: string) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
    const { $ref: _ref, ...rest } = schema;
    return resolve(doc, { ...target, ...rest }, depth + 1);
  }
  if (schema.allOf) {
    const { allOf, ...rest } = schema;
    const members = (allOf as any[]).map((member) => resolve(doc, member, depth + 1));
    return members.reduce(
      (merged, member) => ({
        ...merged,
        ...member,
        properties: { ...merged.properties, ...member.properties },
        required: [...(merged.required ?? []), ...(member.required ?? [])],
      }),
      { ...rest, properties: { ...rest.properties } },
    );
  }
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) return resolve(doc, alternatives[0], depth + 1);
  return schema;
}

function typeOf(schema: any): string | undefined {
  const type = Array.isArray(schema.type)
    ? schema.type.find((t: string) => t !== 'null')
    : schema.type;
  if (type) return type;
  if (schema.properties) return 'object';
  if (schema.items) return 'array';
  return undefined;
}

/**
 * A plausible value for a documented field: the fixture's id for an id field, else the
 * document's example, default or first enum value, else one made from the type and the name.
 * Answers undefined for a binary field (a file, which JSON cannot carry).
 */
export function sampleValue(doc: any, raw: any, ids: IdFor, name?: string, depth = 0): unknown {
  const schema = resolve(doc, raw);
  if (schema.format === 'binary') return undefined;
  const idKind = name ? ID_FIELDS[name] : undefined;
  const type = typeOf(schema);
  if (idKind) {
    const id = Array.isArray(idKind) ? ids(idKind[0]) : ids(idKind);
    const value = type === 'string' ? String(id) : id;
    return Array.isArray(idKind) ? [value] : value;
  }
  const plain = plainValue(doc, schema, type, ids, name, depth);
  return typeof plain === 'string' && name && depth === 1 && DISTINCT_FIELDS.has(name)
    ? distinct(name, plain)
    : plain;
}

function plainValue(
  doc: any,
  schema: any,
  type: string | undefined,
  ids: IdFor,
  name: string | undefined,
  depth: number,
): unknown {
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  if (schema.enum) return schema.enum.find((value: unknown) => value !== null);
  switch (type) {
    case 'object': {
      const value: Record<string, unknown> = {};
      if (depth > 6) return value;
      for (const [key, property] of Object.entries(schema.properties ?? {})) {
        const sampled = sampleValue(doc, property, ids, key, depth + 1);
        if (sampled !== undefined) value[key] = sampled;
      }
      return value;
    }
    case 'array': {
      const item =
        depth > 6 ? undefined : sampleValue(doc, schema.items ?? {}, ids, undefined, depth + 1);
      return item === undefined ? [] : [item];
    }
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    default:
      if (schema.format === 'email' || /email/.test(name ?? ''))
        return `contract-${name}@example.com`;
      if (schema.format === 'date-time' || /_at$/.test(name ?? '')) return '2030-01-01T00:00:00Z';
      // Report ranges: Chatwoot documents them as "Unix timestamp in seconds", sent as text.
      if (/^(since|until)$/.test(name ?? '')) return name === 'since' ? '1767225600' : '1767312000';
      if (/phone_number$/.test(name ?? '')) return '+15555550123';
      // The fixture user's own password, for current, new and confirmation alike: a consistent
      // request that changes nothing.
      if (/password/.test(name ?? '')) return FIXTURE_PASSWORD;
      if (schema.format === 'uri' || /url$/.test(name ?? '')) return 'https://example.com/contract';
      return `Contract ${name ?? 'value'}`;
  }
}

/** The operation's parameters (path item's and its own), `$ref`s resolved. */
function parametersOf(doc: any, entry: ChatwootOperation): any[] {
  return [...(entry.pathItem.parameters ?? []), ...(entry.operation.parameters ?? [])].map(
    (parameter: any) => resolve(doc, parameter),
  );
}

/**
 * A body as a Rails form: `message[content]=...`, `labels[]=a`, `items[][title]=...`. Values are
 * text (`true`, `1`); null is empty; empty objects and lists have no field, as in any form.
 */
export function railsForm(
  value: unknown,
  prefix = '',
  form = new URLSearchParams(),
): URLSearchParams {
  if (Array.isArray(value)) for (const item of value) railsForm(item, `${prefix}[]`, form);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value))
      railsForm(item, prefix ? `${prefix}[${key}]` : key, form);
  } else if (value !== undefined) form.append(prefix, value === null ? '' : String(value));
  return form;
}

/** A query string as Rails reads it: arrays as `key[]=value`. */
function queryString(query: [string, unknown][]): string {
  const params = new URLSearchParams();
  for (const [key, value] of query) {
    if (Array.isArray(value)) for (const item of value) params.append(`${key}[]`, String(item));
    else params.append(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * The request a client generated from Chatwoot's document sends for `entry`: the path filled with
 * `pathValues` (positional: Chatwoot's and Conversa's parameter names differ), every documented
 * query parameter, and a JSON body with every documented property (examples where the document
 * has them, the fixture's ids for id fields).
 */
export function contractRequest(
  entry: ChatwootOperation,
  pathValues: (string | number)[],
  ids: IdFor,
): ContractRequest {
  const doc = chatwootDocuments()[entry.api];
  let index = 0;
  const path = entry.path.replace(/\{[^}]+\}/g, () =>
    encodeURIComponent(String(pathValues[index++])),
  );
  const schema = entry.operation.requestBody?.content?.['application/json']?.schema;
  // A query parameter that is also a body property (typing_status) takes the body's values.
  const bodyProperties = schema ? (resolve(doc, schema).properties ?? {}) : {};
  const query = parametersOf(doc, entry)
    .filter((parameter) => parameter.in === 'query')
    .map((parameter): [string, unknown] => [
      parameter.name,
      sampleValue(
        doc,
        { ...bodyProperties[parameter.name], ...parameter.schema },
        ids,
        parameter.name,
      ),
    ])
    .map(([name, value]): [string, unknown] => [name, QUERY_OVERRIDES[entry.id]?.[name] ?? value])
    .filter(([, value]) => value !== undefined);
  let body = schema ? (sampleValue(doc, schema, ids) as Record<string, unknown>) : undefined;
  const override = BODY_OVERRIDES[entry.id];
  if (body && override) body = { ...body, ...override(ids, body) };
  // Chatwoot checks an identifier_hash whenever one is sent: it is the HMAC of the identifier.
  if (body && typeof body.identifier_hash === 'string' && typeof body.identifier === 'string') {
    body.identifier_hash = createHmac('sha256', String(ids('inboxHmacToken')))
      .update(body.identifier)
      .digest('hex');
  }
  const security = entry.operation.security ?? doc.security ?? [];
  return {
    method: entry.method,
    url: `${path}${queryString(query)}`,
    body,
    authenticated: security.length > 0,
  };
}

/** Chatwoot's documents with DOCUMENT_ERRATA applied (copies). */
function correctedDocuments(): Record<string, any> {
  const copies: Record<string, any> = structuredClone(chatwootDocuments());
  for (const [api, pointer, value] of DOCUMENT_ERRATA) {
    const keys = pointer
      .slice(1)
      .split('/')
      .map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop()!;
    const parent = keys.reduce((node, key) => node?.[key], copies[api]);
    if (!parent || !(last in parent)) throw new Error(`Erratum ${api}#${pointer} names nothing`);
    parent[last] = value;
  }
  return copies;
}

/**
 * Chatwoot's schemas read as its own server answers: any documented property may be null
 * (Chatwoot's views render nil for unset attributes; its swagger rarely says so), and a resource
 * that documents an `id` has one. Other properties stay optional, as documented: Chatwoot's own
 * answers leave out many of them (an assignee has no `access_token`). Extra properties are
 * allowed: clients ignore what they do not know.
 */
export function nullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullable);
  if (!node || typeof node !== 'object') return node;
  const copy: Record<string, any> = Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      key === 'example' || key === 'enum' ? value : nullable(value),
    ]),
  );
  if (copy.properties && typeof copy.properties === 'object' && !Array.isArray(copy.properties)) {
    if ('id' in copy.properties) copy.required = [...new Set([...(copy.required ?? []), 'id'])];
    copy.properties = Object.fromEntries(
      Object.entries(copy.properties).map(([key, value]) => [
        key,
        key === 'id' ? value : { anyOf: [value, { type: 'null' }] },
      ]),
    );
  }
  return copy;
}

/** Whether a schema describes a resource (it has an `id`) rather than a wrapper around them. */
function isResource(doc: any, schema: any): boolean {
  return 'id' in (resolve(doc, schema).properties ?? {});
}

/**
 * The envelope of an answer is expected as documented: every property of the wrappers around
 * the resources (`data`, `meta`, `payload`, ..., written out or named by `$ref`) must be there,
 * down to the first object that has an `id` (a resource), where `nullable` applies. This is what
 * a client walks first: a renamed or missing wrapper breaks every call.
 */
export function envelope(doc: any, node: any, depth = 0): any {
  if (!node || typeof node !== 'object' || depth > 12 || isResource(doc, node)) return node;
  if (node.$ref) return envelope(doc, resolve(doc, node), depth + 1);
  const copy: Record<string, any> = { ...node };
  if (copy.properties) {
    copy.required = [...new Set([...(copy.required ?? []), ...Object.keys(copy.properties)])];
    copy.properties = Object.fromEntries(
      Object.entries(copy.properties).map(([key, value]) => [key, envelope(doc, value, depth + 1)]),
    );
  }
  if (copy.items) copy.items = envelope(doc, copy.items, depth + 1);
  if (copy.allOf) copy.allOf = copy.allOf.map((member: any) => envelope(doc, member, depth + 1));
  return copy;
}

/** Validates answers against Chatwoot's documented response schemas (and the errata). */
export class ChatwootSchemas {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  private readonly validators = new Map<string, ValidateFunction | undefined>();
  private readonly documents: Record<string, any>;

  constructor() {
    this.documents = correctedDocuments();
    for (const [api, doc] of Object.entries(this.documents)) {
      this.ajv.addSchema(nullable(doc) as object, `chatwoot-${api}`);
    }
  }

  /** The documented answer for `status`: 201 and 200 stand for each other (creates), as do 204 and 200. */
  documentedStatus(entry: ChatwootOperation, status: number): string | undefined {
    const responses = entry.operation.responses ?? {};
    const candidates = [String(status)];
    if (status === 201 || status === 204) candidates.push('200');
    if (status === 200) candidates.push('204', '201');
    return candidates.find((candidate) => responses[candidate]);
  }

  private validator(entry: ChatwootOperation, documented: string): ValidateFunction | undefined {
    const key = `${entry.id} ${documented}`;
    if (this.validators.has(key)) return this.validators.get(key);
    const erratum = SWAGGER_ERRATA[entry.id];
    const doc = this.documents[entry.api];
    const schema = erratum
      ? erratum.schema(doc)
      : doc.paths[entry.path][entry.method].responses[documented].content?.['application/json']
          ?.schema;
    let validate: ValidateFunction | undefined;
    if (schema) {
      // Compiled beside Chatwoot's document: its $refs name that document's components.
      const local = JSON.stringify(envelope(doc, schema)).replace(
        /"#\//g,
        `"chatwoot-${entry.api}#/`,
      );
      validate = this.ajv.compile({
        $id: `chatwoot-answer-${this.validators.size}`,
        ...(nullable(JSON.parse(local)) as object),
      });
    }
    this.validators.set(key, validate);
    return validate;
  }

  /** What is wrong with `body` as the answer `status` of `entry` (empty when it conforms). */
  mismatches(entry: ChatwootOperation, status: number, body: unknown): string[] {
    const documented = this.documentedStatus(entry, status);
    if (!documented) {
      const listed = Object.keys(entry.operation.responses ?? {}).join(', ');
      return [`answered ${status}; Chatwoot documents ${listed}`];
    }
    const validate = this.validator(entry, documented);
    if (!validate || validate(body)) return [];
    // Every property may be null (see nullable): the anyOf and null branches only repeat the
    // real error. Items of a list fail alike: one line per path.
    const lines = (validate.errors ?? [])
      .filter((error) => error.keyword !== 'anyOf' && error.params?.type !== 'null')
      .map((error) => {
        const where = error.instancePath.replace(/\/\d+(?=\/|$)/g, '/*') || '(root)';
        const detail =
          error.keyword === 'enum' ? ` ${JSON.stringify(error.params.allowedValues)}` : '';
        return `${where} ${error.message}${detail}`;
      });
    return [...new Set(lines)];
  }
}
