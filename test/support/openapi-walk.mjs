// Reads the OpenAPI document the server serves (/docs-json) into a flat list of operations, and
// maps every path parameter and id-like body field to the kind of fixture row it names. The fuzz
// suite and the cross-account spec both walk this list, so a new route is covered as soon as it
// is documented; a parameter this file cannot map fails them loudly instead of being skipped.

export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** The Application API routes that belong to one account (v2: Chatwoot's reports). */
export const ACCOUNT_ROUTE = /^\/api\/v[12]\/accounts\/\{account_id\}(\/|$)/;

/** What a `{id}` names, by the collection segment right before it. */
const ID_BY_COLLECTION = {
  agents: 'agent',
  teams: 'team',
  inboxes: 'inbox',
  contacts: 'contact',
  conversations: 'conversation',
  messages: 'message',
  webhooks: 'webhook',
  webhook_deliveries: 'delivery',
  automation_rules: 'rule',
  access_tokens: 'accessToken',
  invitations: 'invitation',
  labels: 'label',
  canned_responses: 'cannedResponse',
  agent_bots: 'agentBot',
  custom_attribute_definitions: 'attributeDefinition',
};

/** Path parameters whose name alone says what they name. */
const PARAMETER_KINDS = {
  account_id: 'account',
  inbox_id: 'inbox',
  message_id: 'message',
  conversation_id: 'conversation',
  contact_id: 'contact',
  team_id: 'team',
  source_id: 'contactSource',
  inbox_identifier: 'inboxIdentifier',
  invitation_id: 'invitation',
  custom_filter_id: 'customFilter',
  // Signed download URLs: without the signature every call is refused (403) before the id is
  // looked up, so any existing id serves; the message's is one.
  attachment_id: 'message',
};

/**
 * Body fields that carry ids of other rows. `ids` marks an array of them. Schemas are matched by
 * field name, so a new DTO reusing these names is covered without an edit here.
 */
export const BODY_ID_FIELDS = {
  inbox_id: { kind: 'inbox' },
  contact_id: { kind: 'contact' },
  conversation_id: { kind: 'conversation' },
  assignee_id: { kind: 'agent' },
  team_id: { kind: 'team' },
  user_ids: { kind: 'agent', ids: true },
  account_id: { kind: 'account' },
  base_contact_id: { kind: 'contact' },
  mergee_contact_id: { kind: 'contact' },
  agent_bot: { kind: 'agentBot' },
};

/** Thrown for a path parameter nobody taught this file; the message says where to add it. */
export class UnmappedParameterError extends Error {}

/** The fixture kind a path parameter names, e.g. `inbox` for `/inboxes/{id}`. */
export function pathParameterKind(path, name) {
  if (name === 'id') {
    const segments = path.split('/');
    const index = segments.indexOf('{id}');
    const kind = ID_BY_COLLECTION[segments[index - 1]];
    if (kind) return kind;
  } else if (PARAMETER_KINDS[name]) {
    return PARAMETER_KINDS[name];
  }
  throw new UnmappedParameterError(
    `No fixture for path parameter {${name}} of ${path}: map it in test/support/openapi-walk.mjs ` +
      '(ID_BY_COLLECTION or PARAMETER_KINDS) and give the fixture such a row',
  );
}

/** Follows `$ref` and single-member `allOf` wrappers down to a concrete schema. */
export function resolveSchema(doc, schema) {
  let current = schema ?? {};
  for (let hops = 0; hops < 20; hops++) {
    if (current.$ref) {
      const name = current.$ref.replace('#/components/schemas/', '');
      const target = doc.components?.schemas?.[name];
      if (!target) throw new Error(`Unresolvable $ref ${current.$ref}`);
      current = { ...target, ...withoutKeys(current, ['$ref']) };
    } else if (current.allOf?.length === 1) {
      current = { ...resolveSchema(doc, current.allOf[0]), ...withoutKeys(current, ['allOf']) };
    } else {
      return current;
    }
  }
  throw new Error('Schema $ref chain too deep');
}

function withoutKeys(object, keys) {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
}

/**
 * Every operation of the document, in document order:
 * `{ method, path, id, parameters: { path, query, header }, body, bodyRequired, secured }`,
 * where `body` is the resolved JSON schema of the request body (or null).
 */
export function operationsOf(doc) {
  const operations = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const parameters = { path: [], query: [], header: [] };
      for (const raw of [...(item.parameters ?? []), ...(operation.parameters ?? [])]) {
        const parameter = raw.$ref ? resolveSchema(doc, raw) : raw;
        parameters[parameter.in]?.push({
          name: parameter.name,
          required: Boolean(parameter.required),
          schema: resolveSchema(doc, parameter.schema),
        });
      }
      const json = operation.requestBody?.content?.['application/json'];
      operations.push({
        method,
        path,
        id: `${method.toUpperCase()} ${path}`,
        operationId: operation.operationId,
        parameters,
        body: json ? resolveSchema(doc, json.schema) : null,
        bodyRequired: Boolean(operation.requestBody?.required),
        secured: (operation.security ?? doc.security ?? []).length > 0,
      });
    }
  }
  return operations;
}

/** Fetches the served document and lists its operations. */
export async function loadOperations(baseUrl) {
  const response = await fetch(`${baseUrl}/docs-json`);
  if (response.status !== 200) throw new Error(`GET /docs-json answered ${response.status}`);
  const doc = await response.json();
  return { doc, operations: operationsOf(doc) };
}

/**
 * Percent-encodes a path segment or query value. A lone UTF-16 surrogate has no UTF-8 form, so
 * encodeURIComponent throws on it; it is sent as the bytes a careless encoder would produce
 * (CESU-8, invalid UTF-8), which is what a hostile client can put on the wire.
 */
export function encodeComponent(text) {
  let out = '';
  for (const char of String(text)) {
    const code = char.codePointAt(0);
    if (code >= 0xd800 && code <= 0xdfff) {
      out += `%${(0xe0 | (code >> 12)).toString(16).toUpperCase()}`;
      out += `%${(0x80 | ((code >> 6) & 0x3f)).toString(16).toUpperCase()}`;
      out += `%${(0x80 | (code & 0x3f)).toString(16).toUpperCase()}`;
    } else {
      out += encodeURIComponent(char);
    }
  }
  return out;
}

/** Fills a path template; `values` maps parameter names to already encoded segments. */
export function fillPath(path, values) {
  return path.replace(/\{([^}]+)\}/g, (_, name) => {
    if (!(name in values)) throw new Error(`No value for {${name}} in ${path}`);
    return values[name];
  });
}

/**
 * A deterministic body the schema should accept: its required fields, the optional ones the
 * document gives an example for (or the first field, when that leaves nothing), and every id
 * field (BODY_ID_FIELDS), whose values come from `idFor(kind)`. Strings use the example, the
 * first enum value, or a plain value of the format (a time for names like `since`).
 */
export function exampleBody(doc, schema, idFor, name = undefined, depth = 0) {
  const resolved = resolveSchema(doc, schema);
  const idField = name ? BODY_ID_FIELDS[name] : undefined;
  if (idField) return idField.ids ? [idFor(idField.kind)] : idFor(idField.kind);
  if (resolved.example !== undefined) return resolved.example;
  if (resolved.default !== undefined) return resolved.default;
  if (resolved.enum) return resolved.enum.find((value) => value !== null);
  switch (resolved.type) {
    case 'string':
      if (resolved.format === 'email') return `cross-${depth}-${name}@example.test`;
      if (resolved.format === 'uri') return 'https://hooks.conversa-fuzz.invalid/cross';
      if (resolved.format === 'date-time' || /(_at|since|until|before|after)$/.test(name ?? ''))
        return '2026-01-01T00:00:00.000Z';
      return `Cross ${name ?? 'value'}`;
    case 'number':
    case 'integer':
      return resolved.minimum ?? 1;
    case 'boolean':
      return false;
    case 'array':
      return depth > 4 ? [] : [exampleBody(doc, resolved.items ?? {}, idFor, undefined, depth + 1)];
    case 'object': {
      const body = {};
      const required = resolved.required ?? [];
      for (const [key, property] of Object.entries(resolved.properties ?? {})) {
        const wanted =
          required.includes(key) ||
          BODY_ID_FIELDS[key] ||
          resolveSchema(doc, property).example !== undefined;
        if (wanted && depth <= 4) body[key] = exampleBody(doc, property, idFor, key, depth + 1);
      }
      // All fields optional and none with an example (a message, say): give the first one.
      const [first] = Object.entries(resolved.properties ?? {});
      if (Object.keys(body).length === 0 && first && depth <= 4)
        body[first[0]] = exampleBody(doc, first[1], idFor, first[0], depth + 1);
      return body;
    }
    default:
      return 'value';
  }
}
