/**
 * How an administrator's request becomes an audit entry, as pure functions of the route and
 * body: what was acted on (the route's resource), how (create, update, destroy) and what was
 * sent, with every secret-looking field filtered out.
 */
export interface AuditedRequest {
  method: string;
  /** The route pattern, e.g. `/api/v1/accounts/:account_id/teams/:id`. */
  route: string;
  params: Record<string, string | undefined>;
  body: unknown;
  /** What the handler answered (a created resource's id is taken from it). */
  answer: unknown;
}

export interface AuditEntry {
  auditableType: string;
  auditableId: string | null;
  action: 'create' | 'update' | 'destroy';
  operation: string;
  changes: Record<string, unknown>;
}

/** Route segments after an id that name an action on it rather than a sub-resource. */
const VERBS = new Set(['clone', 'dry_run', 'redeliver', 'test', 'rotate_secret', 'toggle_status']);

/** Field names whose values are never stored: secrets, tokens, passwords, keys. */
const SECRET = /secret|token|password|hmac|api_?key|authorization|credential|private_key/i;
const FILTERED = '[FILTERED]';
const MAX_DEPTH = 8;

export function withoutSecrets(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) return FILTERED;
  if (Array.isArray(value)) return value.map((item) => withoutSecrets(item, depth + 1));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      SECRET.test(key) ? FILTERED : withoutSecrets(item, depth + 1),
    ]),
  );
}

/** `automation_rules` → `AutomationRule`, `inboxes` → `Inbox`, `webhook` → `Webhook`. */
export function typeName(segment: string): string {
  const singular = segment.endsWith('ies')
    ? `${segment.slice(0, -3)}y`
    : /(x|ch|sh|ss)es$/.test(segment)
      ? segment.slice(0, -2)
      : segment.endsWith('s') && !segment.endsWith('ss')
        ? segment.slice(0, -1)
        : segment;
  return singular
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

function idOf(answer: unknown): string | null {
  if (!answer || typeof answer !== 'object') return null;
  const record = answer as Record<string, unknown>;
  const id = record.id ?? (record.payload as Record<string, unknown> | undefined)?.id;
  return typeof id === 'number' || typeof id === 'string' ? String(id) : null;
}

export function auditEntryOf(request: AuditedRequest): AuditEntry {
  const segments = request.route.split('/').filter(Boolean);
  const start = segments.indexOf(':account_id') + 1;
  const rest = segments.slice(start);
  let verb: string | null = null;
  if (rest.length > 1 && VERBS.has(rest[rest.length - 1])) verb = rest.pop()!;
  // The resource: the last plain segment (a sub-resource of a parent, or the collection).
  let index = rest.length - 1;
  while (index >= 0 && rest[index].startsWith(':')) index--;
  const segment = index >= 0 ? rest[index] : 'account';
  const param = rest[index + 1]?.startsWith(':') ? rest[index + 1].slice(1) : null;
  const parentParam =
    index > 0 && rest[index - 1].startsWith(':') ? rest[index - 1].slice(1) : null;
  const method = request.method.toUpperCase();
  const action = verb
    ? 'update'
    : method === 'DELETE'
      ? 'destroy'
      : method === 'POST'
        ? 'create'
        : 'update';
  const auditableId =
    (param ? request.params[param] : null) ??
    (action === 'create' ? idOf(request.answer) : null) ??
    (parentParam ? request.params[parentParam] : null) ??
    (segment === 'account' ? (request.params.account_id ?? null) : null);
  const body =
    request.body && typeof request.body === 'object'
      ? (withoutSecrets(request.body) as Record<string, unknown>)
      : {};
  return {
    auditableType: typeName(segment),
    auditableId: auditableId ?? null,
    action,
    operation: `${method} ${request.route}`,
    changes: verb ? { ...body, action: verb } : body,
  };
}
