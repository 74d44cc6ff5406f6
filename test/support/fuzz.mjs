// The property-based fuzz of every operation of the served OpenAPI document (fast-check).
//
// Each run of the property is one request: an operation picked from the document, its path and
// query parameters (mostly ids of the fixture's rows, otherwise hostile text), a body generated
// from the operation's schema (valid, valid with one field made hostile, wholly hostile, or not
// JSON at all) and a credential (mostly the administrator's). Every answer must be
//   - below 500, and never a success for a numeric id that is not a plain decimal (`0x10`);
//   - on a 4xx, an RFC 9457 problem (application/problem+json with type, title, status, code
//     and detail);
//   - on a 4xx (and a successful GET), without any change to stored data: the state fingerprint
//     (state-fingerprint.mjs) is the same after the request as before it. A change is confirmed by
//     sending the same request once more from a settled state, so late work of an earlier
//     request is not blamed on this one.
// Every operation gets the same share of the runs. Failures are collected, not thrown, so one run
// reports every failure class with one replayable example each: the operation O, the seed S and
// the run index P replay it exactly with `--seed S --op 'O' --path P`.
import fc from 'fast-check';
import { Agent, request } from 'undici';
import { FIXTURE_PASSWORD } from './api-fixture.mjs';
import {
  BODY_ID_FIELDS,
  encodeComponent,
  fillPath,
  pathParameterKind,
  resolveSchema,
} from './openapi-walk.mjs';
import { changedTables, settle as settleState, stateFingerprint } from './state-fingerprint.mjs';

// ---------------------------------------------------------------------------------------------
// Values

/** A row of the fixture, resolved when the request is sent (repairs may have replaced it). */
class FixtureRef {
  constructor(kind) {
    this.kind = kind;
  }
  [fc.toStringMethod]() {
    return `ref(${this.kind})`;
  }
}

/** JSON nested `depth` levels deep, written out only when sent (cheap to generate and print). */
class Deep {
  constructor(depth, shape) {
    this.depth = depth;
    this.shape = shape;
  }
  json() {
    return this.shape === 'array'
      ? `${'['.repeat(this.depth)}1${']'.repeat(this.depth)}`
      : `${'{"a":'.repeat(this.depth)}1${'}'.repeat(this.depth)}`;
  }
  [fc.toStringMethod]() {
    return `deep(${this.depth} ${this.shape}s)`;
  }
}

/** A long string, written out only when sent. */
class Big {
  constructor(length, unit) {
    this.length = length;
    this.unit = unit;
  }
  text() {
    return this.unit.repeat(Math.ceil(this.length / this.unit.length));
  }
  [fc.toStringMethod]() {
    return `big(${this.length} × ${JSON.stringify(this.unit)})`;
  }
}

/** A path segment sent exactly as written (raw percent escapes: NUL, invalid UTF-8, ...). */
class RawSegment {
  constructor(text) {
    this.text = text;
  }
  [fc.toStringMethod]() {
    return `raw(${this.text})`;
  }
}

const BOUNDS = [
  0,
  -1,
  1.5,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 + 2,
  2 ** 63,
  1e308,
  -1e308,
  5e-324,
];
const NUMERIC_TEXT = [
  '0',
  '-1',
  '1.5',
  '2147483647',
  '2147483648',
  '9223372036854775807',
  '9223372036854775808',
  '1e308',
  '0x10',
  ' 1',
  '1 ',
  '+1',
  '01',
  '1e3',
  'NaN',
  'Infinity',
  '-0',
  '',
];
const DATE_TEXT = [
  '1',
  '2020',
  '0000-01-01',
  '2020-13-45',
  '2020-02-30',
  '9999-12-31T23:59:59Z',
  '10000-01-01',
  '1970-01-01T00:00:00Z',
  '-infinity',
  'epoch',
];
const NASTY_TEXT = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\ud83d',
  '💬',
  'e\u0301',
  '\u202e',
  '\uffff',
  '\ufeff',
  'null',
  'true',
  '[]',
  '{}',
  "' OR 1=1 --",
  '%',
  '%00',
  '\\',
  '"',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  ' ',
  '\t\n',
  'http://169.254.169.254/latest/meta-data',
  'http://[::a9fe:a9fe]/',
  'http://127.0.0.1:6379/',
];
const RAW_SEGMENTS = ['%00', '%ED%A0%80', '%FF', '%C0%AF', '..', '%2F', '%2e%2e', '%25', '%20'];

const hostileScalar = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(null, true, false, ...BOUNDS) },
  { weight: 8, arbitrary: fc.constantFrom(...NUMERIC_TEXT, ...DATE_TEXT, ...NASTY_TEXT) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
);

const deep = fc
  .tuple(fc.constantFrom(2, 64, 500, 1500, 2500, 5000, 20000), fc.constantFrom('array', 'object'))
  .map(([depth, shape]) => new Deep(depth, shape));

// Large bodies cost the server real CPU (that is the point), so the largest are the rarest.
const big = fc
  .tuple(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(256, 2000) },
      { weight: 2, arbitrary: fc.constant(70_000) },
      { weight: 1, arbitrary: fc.constantFrom(300_000, 600_000) },
    ),
    fc.constantFrom('x', 'é', '💬'),
  )
  .map(([length, unit]) => new Big(length, unit));

const hostileValue = fc.oneof(
  { weight: 10, arbitrary: hostileScalar },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      [],
      {},
      [null],
      { '': null },
      JSON.parse('{"__proto__":{"admin":true}}'),
      [1, 'a', null],
    ),
  },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: deep },
  { weight: 1, arbitrary: big },
);

/** Path parameters that are numeric ids: only a canonical positive decimal may be served. */
const NUMERIC_KINDS = new Set([
  'account',
  'agent',
  'team',
  'inbox',
  'contact',
  'conversation',
  'message',
  'webhook',
  'delivery',
  'rule',
  'accessToken',
  'invitation',
  'attributeDefinition',
]);

/** Hostile path segments: bounds, hex, padding, raw escapes, long and odd text. */
const hostileSegment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NUMERIC_TEXT.filter(Boolean), 'abc', 'null') },
  { weight: 2, arbitrary: fc.constantFrom(...RAW_SEGMENTS).map((text) => new RawSegment(text)) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }) },
  { weight: 1, arbitrary: fc.constantFrom(new Big(300, '9'), new Big(5000, 'a')) },
);

// ---------------------------------------------------------------------------------------------
// Valid values from a schema

/** Fields that the fuzz fills from the fixture to reach deeper code, beside the id fields. */
const FIELD_HINTS = {
  // Filters and rule conditions: real attribute keys with values PostgreSQL may refuse.
  attribute_key: fc.constantFrom(
    'email',
    'name',
    'phone_number',
    'identifier',
    'city',
    'country_code',
    'created_at',
    'last_activity_at',
    'status',
    'priority',
    'inbox_id',
    'team_id',
    'assignee_id',
    'labels',
    'content',
    'message_type',
  ),
  custom_attribute_type: fc.constantFrom('contact_attribute', 'conversation_attribute'),
  values: fc.array(
    fc.oneof(
      fc.constantFrom(...DATE_TEXT, ...NUMERIC_TEXT),
      fc.string({ maxLength: 10 }),
      fc.integer(),
    ),
    { minLength: 1, maxLength: 2 },
  ),
  email: fc.oneof(
    fc.constant(new FixtureRef('adminEmail')),
    fc.constantFrom('ada@example.com', 'casey@customer.test'),
  ),
  password: fc.constantFrom(FIXTURE_PASSWORD, 'a long new password'),
  current_password: fc.constant(FIXTURE_PASSWORD),
  source_id: fc.oneof(fc.constant(new FixtureRef('contactSource')), fc.uuid()),
  url: fc.constantFrom(
    'https://hooks.conversa-fuzz.invalid/a',
    'https://example.org/hook',
    'http://127.0.0.1/',
  ),
  webhook_url: fc.constantFrom('https://hooks.conversa-fuzz.invalid/b', null),
  labels: fc.array(fc.constantFrom('billing', 'refund', 'vip'), { maxLength: 3 }),
  phone_number: fc.constantFrom('+14155550100', '+351912345678'),
  timezone: fc.constantFrom('UTC', 'Europe/Lisbon'),
};

function stringOf(schema) {
  switch (schema.format) {
    case 'email':
      return fc.emailAddress();
    case 'uri':
      return fc.constantFrom('https://example.org/a', 'https://hooks.conversa-fuzz.invalid/c');
    case 'date-time':
      return fc
        .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
        .map((date) => date.toISOString());
    default: {
      const maxLength = Math.min(schema.maxLength ?? 40, 40);
      const text = fc.string({ minLength: schema.minLength ?? 1, maxLength });
      return schema.example !== undefined && typeof schema.example === 'string'
        ? fc.oneof(fc.constant(schema.example), text)
        : text;
    }
  }
}

/** A value the schema accepts (ids from the fixture), built once per operation. */
export function validValue(doc, resolve, schema, name, depth = 0) {
  const resolved = resolve(doc, schema);
  let arbitrary;
  const idField = name ? BODY_ID_FIELDS[name] : undefined;
  if (idField) {
    const ref = fc.oneof(
      { weight: 5, arbitrary: fc.constant(new FixtureRef(idField.kind)) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 50 }) },
    );
    arbitrary = idField.ids ? fc.array(ref, { minLength: 1, maxLength: 2 }) : ref;
  } else if (name && FIELD_HINTS[name]) {
    arbitrary = FIELD_HINTS[name];
  } else if (resolved.enum) {
    arbitrary = fc.constantFrom(...resolved.enum);
  } else if (resolved.type === 'string') {
    arbitrary = stringOf(resolved);
  } else if (resolved.type === 'number' || resolved.type === 'integer') {
    arbitrary = fc.integer({ min: resolved.minimum ?? 0, max: resolved.maximum ?? 100 });
  } else if (resolved.type === 'boolean') {
    arbitrary = fc.boolean();
  } else if (resolved.type === 'array') {
    const item =
      depth > 4
        ? fc.string()
        : validValue(doc, resolve, resolved.items ?? {}, undefined, depth + 1);
    arbitrary = fc.array(item, { maxLength: 3 });
  } else if (resolved.type === 'object' && resolved.properties && depth <= 4) {
    const shape = {};
    for (const [key, property] of Object.entries(resolved.properties)) {
      shape[key] = validValue(doc, resolve, property, key, depth + 1);
    }
    arbitrary = fc.record(shape, { requiredKeys: resolved.required ?? [] });
  } else if (resolved.type === 'object') {
    arbitrary = fc.dictionary(
      fc.string({ minLength: 1, maxLength: 10 }),
      fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean()),
      { maxKeys: 3 },
    );
  } else {
    arbitrary = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean());
  }
  return resolved.nullable ? fc.option(arbitrary, { freq: 8 }) : arbitrary;
}

/** Every path inside a JSON value (object keys and array indices), depth first. */
function pathsOf(value, prefix = [], out = []) {
  if (value && typeof value === 'object' && !(value instanceof FixtureRef)) {
    for (const key of Object.keys(value)) {
      out.push([...prefix, key]);
      pathsOf(value[key], [...prefix, key], out);
    }
  }
  return out;
}

/** `value` with the field at `path` set to `replacement`, or deleted (undefined). */
function withField(value, path, replacement) {
  const copy = structuredCloneJson(value);
  let target = copy;
  for (const key of path.slice(0, -1)) target = target[key];
  const last = path[path.length - 1];
  if (replacement === undefined) {
    if (Array.isArray(target)) target.splice(Number(last), 1);
    else delete target[last];
  } else {
    target[last] = replacement;
  }
  return copy;
}

/** A deep copy that keeps FixtureRef, Deep and Big instances as they are. */
function structuredCloneJson(value) {
  if (value instanceof FixtureRef || value instanceof Deep || value instanceof Big) return value;
  if (Array.isArray(value)) return value.map(structuredCloneJson);
  if (value && typeof value === 'object') {
    const copy = {};
    for (const key of Object.keys(value)) {
      Object.defineProperty(copy, key, {
        value: structuredCloneJson(value[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return copy;
  }
  return value;
}

const RAW_BODIES = [
  { contentType: 'application/x-www-form-urlencoded', text: 'name=Ada&email=ada%40example.com' },
  { contentType: 'text/plain', text: 'hello' },
  { contentType: 'application/json', text: '' },
  { contentType: undefined, text: '' },
  { contentType: 'application/json', text: '{"name":' },
  { contentType: 'application/json', text: '\ufeff{}' },
  { contentType: 'application/json', text: '{"name":"a","name":"b"}' },
  { contentType: 'application/json', text: 'null' },
  { contentType: 'application/json', text: '"text"' },
  { contentType: 'application/json; charset=latin1', text: '{}' },
  { contentType: 'application/xml', text: '<a/>' },
  {
    contentType: 'multipart/form-data; boundary=x',
    text: '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nAda\r\n--x--\r\n',
  },
  { contentType: 'application/json', text: '{"name":"\\ud800"}' },
  { contentType: 'application/json', text: '{"name":"\\u0000"}' },
  { contentType: 'application/json', big: 1_200_000 },
];

function bodyOf(doc, resolve, operation) {
  const raw = fc.constantFrom(...RAW_BODIES).map((body) => ({ kind: 'raw', ...body }));
  const hostileJson = hostileValue.map((value) => ({ kind: 'json', value }));
  if (!operation.body) {
    // Operations without a body: mostly none, sometimes one anyway.
    return fc.oneof(
      { weight: 8, arbitrary: fc.constant({ kind: 'none' }) },
      { weight: 1, arbitrary: hostileJson },
      { weight: 1, arbitrary: raw },
    );
  }
  const valid = validValue(doc, resolve, operation.body);
  const knownFields = Object.keys(resolve(doc, operation.body).properties ?? {});
  const mutated = fc
    .tuple(
      valid,
      fc.nat(),
      fc.oneof({ weight: 5, arbitrary: hostileValue }, fc.constant(undefined)),
    )
    .map(([value, pick, replacement]) => {
      const paths = [...pathsOf(value), ...knownFields.map((field) => [field])];
      if (paths.length === 0 || !value || typeof value !== 'object') return value;
      return withField(value, paths[pick % paths.length], replacement);
    });
  const unknownField = fc
    .tuple(valid, fc.constantFrom('unknown_field', 'id', 'account_id', 'role', 'created_at'))
    .map(([value, field]) =>
      value && typeof value === 'object' ? { ...value, [field]: 1 } : value,
    );
  return fc.oneof(
    { weight: 5, arbitrary: valid.map((value) => ({ kind: 'json', value })) },
    { weight: 6, arbitrary: mutated.map((value) => ({ kind: 'json', value })) },
    { weight: 1, arbitrary: unknownField.map((value) => ({ kind: 'json', value })) },
    { weight: 2, arbitrary: hostileJson },
    { weight: 2, arbitrary: raw },
  );
}

function queryOf(doc, resolve, operation) {
  const entries = operation.parameters.query.map((parameter) =>
    fc.oneof(
      { weight: 5, arbitrary: fc.constant(undefined) },
      {
        weight: 3,
        arbitrary: validValue(doc, resolve, parameter.schema, parameter.name).map((value) => [
          parameter.name,
          value,
        ]),
      },
      { weight: 2, arbitrary: hostileScalar.map((value) => [parameter.name, value]) },
    ),
  );
  // One request in ten carries a parameter the operation does not declare.
  const unknown = fc.oneof(
    { weight: 9, arbitrary: fc.constant(null) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        ['unknown', '1'],
        ['page', '-1'],
        ['limit', '100000'],
        ['labels[]', '\u0000'],
        // Bracket keys (read as Rails reads them): a hash, and past the depth limit.
        ['labels[x]', '1'],
        [`q${'[a]'.repeat(40)}`, '1'],
      ),
    },
  );
  return fc
    .tuple(fc.tuple(...entries), unknown)
    .map(([values, extra]) => [...values, extra].filter(Boolean));
}

function pathValuesOf(operation) {
  const shape = {};
  for (const parameter of operation.parameters.path) {
    const kind = pathParameterKind(operation.path, parameter.name);
    const own = fc.constant(new FixtureRef(kind));
    shape[parameter.name] = fc.oneof(
      { weight: kind === 'account' ? 30 : 7, arbitrary: own },
      { weight: 2, arbitrary: hostileSegment },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 60 }).map(String) },
    );
  }
  return fc.record(shape);
}

const auth = fc.oneof(
  { weight: 78, arbitrary: fc.constant('admin') },
  { weight: 14, arbitrary: fc.constant('agent') },
  { weight: 2, arbitrary: fc.constant('bearer') },
  { weight: 3, arbitrary: fc.constant('none') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'cvs_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      'x',
      '',
      'Bearer',
      'cvs_' + 'é'.repeat(43),
    ),
  },
);

/** A quarter of creates carry an Idempotency-Key: fresh, reused across requests, or malformed. */
const idempotencyKey = fc.oneof(
  { weight: 12, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.constant('fuzz-fixed-key') },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'k'.repeat(300), 'key with space', 'clé') },
);

/** The arbitrary of one request to any of `operations`. */
/** The arbitrary of one request to `operations[index]`. */
export function requestArbitrary(doc, operations, index) {
  const operation = operations[index];
  return fc.record({
    op: fc.constant(index),
    path: pathValuesOf(operation),
    query: queryOf(doc, resolveSchema, operation),
    auth: operation.path.startsWith('/public/') ? fc.constant('none') : auth,
    idempotencyKey: operation.method === 'post' ? idempotencyKey : fc.constant(null),
    body: bodyOf(doc, resolveSchema, operation),
  });
}

// ---------------------------------------------------------------------------------------------
// Sending

function resolveRefs(value, fixture) {
  if (value instanceof FixtureRef) return fixture.value(value.kind);
  if (Array.isArray(value)) return value.map((item) => resolveRefs(item, fixture));
  if (value && typeof value === 'object' && !(value instanceof Deep) && !(value instanceof Big)) {
    const copy = {};
    for (const key of Object.keys(value)) {
      Object.defineProperty(copy, key, {
        value: resolveRefs(value[key], fixture),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return copy;
  }
  return value;
}

/** JSON text of a value that may hold Deep and Big markers (spliced in as raw text). */
function toJson(value) {
  const spliced = [];
  const marker = `__fuzz_${Math.random().toString(36).slice(2)}_`;
  const text = JSON.stringify(value, (_, item) => {
    if (item instanceof Deep) {
      spliced.push(item.json());
      return `${marker}${spliced.length - 1}`;
    }
    if (item instanceof Big) return item.text();
    return item;
  });
  if (text === undefined) return '';
  return text.replace(new RegExp(`"${marker}(\\d+)"`, 'g'), (_, index) => spliced[index]);
}

function segmentOf(value, fixture) {
  if (value instanceof RawSegment) return value.text;
  if (value instanceof Big) return encodeComponent(value.text());
  return encodeComponent(String(resolveRefs(value, fixture)));
}

/** The concrete HTTP request for a generated value. */
export function materialize(value, operations, fixture) {
  const operation = operations[value.op];
  const segments = {};
  for (const [name, segment] of Object.entries(value.path)) {
    segments[name] = segmentOf(segment, fixture);
  }
  let path = fillPath(operation.path, segments);
  const query = value.query
    .flatMap(([name, raw]) => {
      const resolved = resolveRefs(raw, fixture);
      const values = Array.isArray(resolved) ? resolved : [resolved];
      return values.map(
        (item) =>
          `${encodeComponent(name)}=${encodeComponent(
            item !== null && typeof item === 'object' && !(item instanceof Big)
              ? JSON.stringify(item)
              : item instanceof Big
                ? item.text()
                : String(item),
          )}`,
      );
    })
    .join('&');
  if (query) path += `?${query}`;
  const headers = {};
  switch (value.auth) {
    case 'admin':
      headers.api_access_token = fixture.adminToken;
      break;
    case 'agent':
      headers.api_access_token = fixture.agentToken;
      break;
    case 'bearer':
      headers.authorization = `Bearer ${fixture.adminToken}`;
      break;
    case 'none':
      break;
    default:
      headers.api_access_token = value.auth;
  }
  if (value.idempotencyKey !== null) headers['idempotency-key'] = value.idempotencyKey;
  let body;
  if (value.body.kind === 'json') {
    headers['content-type'] = 'application/json';
    body = toJson(resolveRefs(value.body.value, fixture));
  } else if (value.body.kind === 'raw') {
    if (value.body.contentType) headers['content-type'] = value.body.contentType;
    body = value.body.big ? `{"name":"${'x'.repeat(value.body.big)}"}` : value.body.text;
  }
  return { operation, method: operation.method.toUpperCase(), path, headers, body };
}

/** One line (and a body excerpt) describing a request, for reports. */
export function describeRequest(sent) {
  const headers = Object.entries(sent.headers)
    .map(([name, value]) =>
      name === 'api_access_token' || name === 'authorization'
        ? `${name}: ${String(value).slice(0, 12)}…`
        : `${name}: ${JSON.stringify(value).slice(0, 60)}`,
    )
    .join('; ');
  const body =
    sent.body === undefined
      ? 'no body'
      : sent.body.length > 300
        ? `${JSON.stringify(sent.body.slice(0, 200))}… (${sent.body.length} chars)`
        : JSON.stringify(sent.body);
  const path = sent.path.length > 300 ? `${sent.path.slice(0, 250)}…` : sent.path;
  return `${sent.method} ${path} [${headers}] ${body}`;
}

// ---------------------------------------------------------------------------------------------
// Checks

/** Why a 4xx answer is not a complete problem document (undefined when it is). */
export function problemDefect(status, headers, text) {
  const contentType = String(headers['content-type'] ?? '');
  if (!contentType.startsWith('application/problem+json'))
    return `content-type "${contentType}" is not application/problem+json`;
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    return 'the body is not JSON';
  }
  for (const field of ['type', 'title', 'code', 'detail']) {
    if (typeof body?.[field] !== 'string' || body[field].length === 0)
      return `"${field}" is missing or empty`;
  }
  if (body.status !== status) return `"status" is ${body.status}, the answer ${status}`;
  return undefined;
}

/** The `code` of a JSON answer (a problem's, or a framework's own error code), if any. */
function codeOf(text) {
  try {
    return String(JSON.parse(text)?.code ?? '');
  } catch {
    return '';
  }
}

/** A message with its variable parts (numbers, quoted text) blanked, to group by cause. */
function normalize(message) {
  return String(message)
    .replace(/"[^"]*"/g, '"…"')
    .replace(/'[^']*'/g, "'…'")
    .replace(/\d+/g, 'N')
    .slice(0, 160);
}

/** The first frame of the application's own code in a stack trace: `function (file)`. */
function appFrame(stack) {
  const line = String(stack ?? '')
    .split('\n')
    .find((text) => /\/(dist\/)?src\//.test(text) && !text.includes('node_modules'));
  const file = line?.match(/((?:dist\/)?src\/[^:)]+)/)?.[1];
  if (!file) return undefined;
  // Without the line number: one recursion overflows at different lines of the same function.
  const name = line.match(/at (?:async )?([^\s(]+) \(/)?.[1];
  return name ? `${name} (${file})` : file;
}

// ---------------------------------------------------------------------------------------------
// The run

/**
 * Runs the fuzz against a server that already holds `fixture`.
 *
 * `errorFor(requestId)` answers the server's logged error for a request (`{ type, message,
 * stack }`), used to group 5xx answers by root cause. `path` replays one run of `seed`.
 */
export async function runFuzz({
  baseUrl,
  db,
  doc,
  operations,
  fixture,
  runs,
  seed,
  path,
  only,
  timeLimitMs,
  errorFor = async () => undefined,
  log = console.log,
  progressEveryMs = 30_000,
  replayCommand = (operation, run) => `--seed ${seed} --op '${operation}' --path ${run}`,
}) {
  const dispatcher = new Agent({ keepAliveTimeout: 30_000, connections: 2 });
  const fingerprint = await stateFingerprint(db);
  const stats = {
    requests: 0,
    statuses: {},
    operationsHit: new Set(),
    settleTimeouts: 0,
    unconfirmedChanges: 0,
    repaired: {},
    repairFailures: 0,
    readsThatWrote: new Map(),
    timeMs: { send: 0, check: 0, settle: 0, repair: 0 },
  };
  const classes = new Map();
  const started = Date.now();
  let lastProgress = started;
  const deadline = timeLimitMs ? started + timeLimitMs : undefined;
  let run = 0;

  /** Waits until background work of the last write is done: nothing undispatched, no change. */
  async function settle() {
    const begun = Date.now();
    try {
      const { fingerprint: settled, settled: inTime } = await settleState(db, fingerprint);
      if (!inTime) stats.settleTimeouts++;
      return settled;
    } finally {
      stats.timeMs.settle += Date.now() - begun;
    }
  }

  async function repair() {
    const begun = Date.now();
    let broken = [];
    try {
      broken = await fixture.repair();
    } catch (error) {
      // Left for the next write to retry; requests meanwhile just meet missing rows.
      stats.repairFailures++;
      if (stats.repairFailures <= 3) log(`fixture repair failed (will retry): ${error.message}`);
    }
    for (const part of broken) stats.repaired[part] = (stats.repaired[part] ?? 0) + 1;
    stats.timeMs.repair += Date.now() - begun;
    return broken;
  }

  async function send(sent) {
    const response = await request(`${baseUrl}${sent.path}`, {
      method: sent.method,
      headers: sent.headers,
      body: sent.body,
      dispatcher,
      headersTimeout: 60_000,
      bodyTimeout: 60_000,
    });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, text };
  }

  function record(key, kind, details) {
    const entry = classes.get(key);
    if (entry) {
      entry.count++;
      entry.operations.add(details.operation);
      return;
    }
    classes.set(key, {
      key,
      kind,
      count: 1,
      operations: new Set([details.operation]),
      example: { ...details, replay: replayCommand(details.operation, details.run) },
    });
    log(
      `\nFAILURE ${key}\n  replay: ${replayCommand(details.operation, details.run)}\n  ${details.request}`,
    );
  }

  let baseline = await settle();

  let operationDeadline = 0;
  let sentForOperation = 0;
  const check = async (value) => {
    const thisRun = run++;
    if (operationDeadline && sentForOperation > 0 && Date.now() >= operationDeadline) return;
    sentForOperation++;
    if (Date.now() - lastProgress >= progressEveryMs) {
      lastProgress = Date.now();
      const seconds = (Date.now() - started) / 1000;
      log(
        `  ${stats.requests} requests in ${seconds.toFixed(0)} s (${(stats.requests / seconds).toFixed(1)}/s), ` +
          `${classes.size} failure classes, ${stats.operationsHit.size}/${operations.length} operations`,
      );
    }
    const sent = materialize(value, operations, fixture);
    const operation = sent.operation.id;
    stats.requests++;
    stats.operationsHit.add(operation);
    let response;
    const sendBegun = Date.now();
    try {
      response = await send(sent);
      stats.timeMs.send += Date.now() - sendBegun;
    } catch (error) {
      // A body over the server's limit (1 MiB) is refused with 413 and the connection closed;
      // a client still writing it may see the close first. A refusal then: nothing may change.
      if (
        typeof sent.body === 'string' &&
        Buffer.byteLength(sent.body) > 1024 * 1024 &&
        ['EPIPE', 'ECONNRESET', 'UND_ERR_SOCKET'].includes(error.code)
      ) {
        stats.statuses.closedOversized = (stats.statuses.closedOversized ?? 0) + 1;
        const changed = changedTables(baseline, await fingerprint.take());
        if (changed.length > 0)
          record(
            `state changed on an oversized body ${operation} (${changed.join(', ')})`,
            'state-change',
            {
              run: thisRun,
              operation,
              request: describeRequest(sent),
              error: String(error),
            },
          );
        baseline = await settle();
        return;
      }
      record(`no answer (${error.code ?? error.message}) on ${operation}`, 'no-answer', {
        run: thisRun,
        operation,
        request: describeRequest(sent),
        error: String(error),
      });
      baseline = await settle();
      return;
    }
    const { status } = response;
    stats.statuses[status] = (stats.statuses[status] ?? 0) + 1;
    const details = () => ({
      run: thisRun,
      operation,
      request: describeRequest(sent),
      status,
      answer: response.text.slice(0, 300),
    });
    if (path) log(`run ${thisRun}: ${describeRequest(sent)}\n  -> ${status} ${response.text}`);

    const lenient = Object.entries(value.path).find(
      ([name, segment]) =>
        !(segment instanceof FixtureRef) &&
        // `..` and `%2e%2e` are dot segments: the URL then names another route, not an id.
        !(segment instanceof RawSegment && /^(\.|%2e){2}$/i.test(segment.text)) &&
        !/^[1-9]\d*$/.test(String(segment)) &&
        NUMERIC_KINDS.has(pathParameterKind(sent.operation.path, name)),
    );
    if (status < 300 && lenient) {
      const shown = lenient[1] instanceof RawSegment ? lenient[1].text : String(lenient[1]);
      record(`lenient id: {${lenient[0]}} "${shown}" was served`, 'lenient-id', details());
    }
    if (status >= 500) {
      const requestId = response.headers['x-request-id'];
      const error = requestId ? await errorFor(String(requestId)) : undefined;
      const cause = error
        ? `${error.type}: ${normalize(error.message)}${appFrame(error.stack) ? ` @ ${appFrame(error.stack)}` : ''}`
        : `${status} on ${operation}`;
      record(`5xx ${cause}`, '5xx', { ...details(), error: error?.message });
    } else if (status >= 400) {
      const defect = problemDefect(status, response.headers, response.text);
      if (defect)
        record(
          `not a problem: ${status} ${codeOf(response.text)} (${defect})`,
          'problem',
          details(),
        );
    }

    const refused = status >= 400 && status < 500;
    const read = sent.method === 'GET' && status < 300;
    if (refused || read) {
      const checkBegun = Date.now();
      const changed = changedTables(baseline, await fingerprint.take());
      stats.timeMs.check += Date.now() - checkBegun;
      if (changed.length === 0) return;
      // Confirm from a settled state with the same request, so that late background work of an
      // earlier request is not blamed on this one.
      baseline = await settle();
      const again = await send(sent);
      const confirmed = changedTables(baseline, await fingerprint.take());
      if (again.status !== status || confirmed.length === 0) {
        stats.unconfirmedChanges++;
      } else if (refused) {
        record(
          `state changed on ${status} ${codeOf(response.text)} ${operation} (${confirmed.join(', ')})`,
          'state-change',
          details(),
        );
      } else {
        // Not a failure (the issue asks about refusals), but worth knowing: a read that writes.
        const key = `${operation} writes ${confirmed.join(', ')}`;
        stats.readsThatWrote.set(key, (stats.readsThatWrote.get(key) ?? 0) + 1);
      }
      await repair();
      baseline = await settle();
      return;
    }
    // A write that succeeded (or failed with a 5xx): put the fixture back, then re-baseline.
    await repair();
    baseline = await settle();
  };

  // Each operation gets its own property with an equal share of the runs (and of the time), so
  // every documented operation is walked, and a failure replays as (operation, seed, path).
  const chosen = only ? operations.filter((operation) => operation.id === only) : operations;
  if (chosen.length === 0) throw new Error(`No operation "${only}" in the document`);
  const perOperation = Math.max(1, Math.round(runs / chosen.length));
  try {
    for (const operation of chosen) {
      run = path ? Number(String(path).split(':')[0]) : 0;
      // An equal share of the time left; the first run of each operation is always sent, so a
      // slow machine still walks every operation.
      const left = chosen.length - chosen.indexOf(operation);
      operationDeadline = deadline ? Date.now() + Math.max(0, deadline - Date.now()) / left : 0;
      sentForOperation = 0;
      await fc.assert(
        fc.asyncProperty(requestArbitrary(doc, operations, operations.indexOf(operation)), check),
        {
          seed,
          numRuns: perOperation,
          ...(path ? { path: String(path), numRuns: 1 } : {}),
          endOnFailure: true,
        },
      );
    }
  } finally {
    await dispatcher.close();
  }
  const elapsedMs = Date.now() - started;
  return {
    seed,
    requests: stats.requests,
    elapsedMs,
    perSecond: stats.requests / (elapsedMs / 1000),
    statuses: stats.statuses,
    operations: chosen.length,
    operationsHit: stats.operationsHit.size,
    operationsMissed: chosen.map((op) => op.id).filter((id) => !stats.operationsHit.has(id)),
    settleTimeouts: stats.settleTimeouts,
    unconfirmedChanges: stats.unconfirmedChanges,
    repairs: fixture.repairs,
    repaired: stats.repaired,
    repairFailures: stats.repairFailures,
    readsThatWrote: Object.fromEntries(stats.readsThatWrote),
    timeMs: stats.timeMs,
    failures: [...classes.values()]
      .sort((a, b) => b.count - a.count)
      .map((entry) => ({ ...entry, operations: [...entry.operations] })),
  };
}

/** The report as text: figures, then each failure class with its example and replay. */
export function formatReport(report) {
  const lines = [
    `seed ${report.seed}: ${report.requests} requests in ${(report.elapsedMs / 1000).toFixed(1)} s ` +
      `(${report.perSecond.toFixed(1)}/s), ${report.operationsHit}/${report.operations} operations`,
    `statuses ${JSON.stringify(report.statuses)}; fixture repairs ${report.repairs}; ` +
      `unconfirmed state changes ${report.unconfirmedChanges}; settle timeouts ${report.settleTimeouts}`,
  ];
  lines.push(
    `repaired fixture parts ${JSON.stringify(report.repaired)}; time ${JSON.stringify(report.timeMs)}`,
  );
  for (const [key, count] of Object.entries(report.readsThatWrote))
    lines.push(`note: a successful read wrote (${count}×): ${key}`);
  if (report.operationsMissed.length)
    lines.push(`not reached: ${report.operationsMissed.join(', ')}`);
  lines.push(`${report.failures.length} failure classes`);
  for (const failure of report.failures) {
    lines.push(
      `- ${failure.key}\n    ${failure.count}× on ${failure.operations.length} operation(s); replay: ${failure.example.replay}\n` +
        `    ${failure.example.request}\n    -> ${failure.example.status ?? ''} ${failure.example.answer ?? failure.example.error ?? ''}`,
    );
  }
  return lines.join('\n');
}

/** Reads the server's structured log for the error behind a 5xx (pino JSON lines). */
export function errorInLog(output, requestId) {
  for (const line of output.split('\n')) {
    if (!line.includes(requestId) || !line.includes('"err"')) continue;
    try {
      const entry = JSON.parse(line);
      if (entry.err && entry.context === 'Errors') return entry.err;
    } catch {
      // not a JSON line
    }
  }
  return undefined;
}
