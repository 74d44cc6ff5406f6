import { DECORATORS } from '@nestjs/swagger';
import qs from 'qs';
import { DomainError } from './errors.js';
import { JSON_LIMITS, jsonBodyError, jsonBodyProblem } from './json-body.js';
import type { RequestPart } from './json-body.js';

/**
 * Form bodies (application/x-www-form-urlencoded, and the text fields of multipart/form-data)
 * turned into the same objects a JSON body gives, so one validation path serves all of them.
 *
 * Keys follow Rails' bracket convention, as Chatwoot's clients send them: `message[content]`
 * is `{ message: { content } }`, `labels[]` repeated is an array, `a[0]`/`a[1]` too,
 * `a[][b]=1&a[][c]=2` is `[{ b, c }]` and `a[][b]=1&a[][b]=2` is `[{ b }, { b }]` (Rack's
 * rule, see `indexRailsArrays`); a plain key sent twice keeps its last value. A name used both
 * as a value and as a list or hash (`labels=a&labels[]=b`) is refused, as Rack refuses it. Every
 * value is a string; `coerceFormValues` types them by the request class, before validation.
 *
 * Query strings are read by the same rules (`queryStringToObject`), except that a plain key sent
 * twice is a list (`labels=a&labels=b`, OpenAPI's default array form).
 */

/** Objects that came from a form, whose string values may be typed by `coerceFormValues`. */
const formBodies = new WeakSet<object>();

/** Whether `value` is the object of a form body (JSON bodies keep the types they were sent with). */
export function isFormBody(value: unknown): boolean {
  return typeof value === 'object' && value !== null && formBodies.has(value);
}

/** Marks an object built from a form (e.g. a request body re-shaped after parsing). */
export function markFormBody<T extends object>(value: T): T {
  formBodies.add(value);
  return value;
}

/** How a form body or a query string is read; they differ only in a plain key sent twice. */
interface ReadRules {
  part: RequestPart;
  /** A plain key sent twice: its last value (Rails, in a body) or a list of all (a query). */
  repeated: 'last' | 'list';
}

const BODY_RULES: ReadRules = { part: 'body', repeated: 'last' };
const QUERY_RULES: ReadRules = { part: 'query', repeated: 'list' };

// One level less than JSON's: the body itself is level 1.
const BRACKET_DEPTH = JSON_LIMITS.depth - 1;

const QS_OPTIONS: qs.IParseOptions = {
  depth: BRACKET_DEPTH,
  strictDepth: true,
  parameterLimit: JSON_LIMITS.values,
  arrayLimit: JSON_LIMITS.values,
  throwOnLimitExceeded: true,
  // Never `__proto__`, `constructor` or other keys of Object.prototype.
  allowPrototypes: false,
};

/** Every bracket path inside `rest` (`[x][y]` gives `x` and `x.y`): the keys it sets. */
function keyPaths(rest: string): string[] {
  const keys = rest.split(/[[\]]+/).filter(Boolean);
  return keys.map((_, index) => keys.slice(0, index + 1).join('.'));
}

/**
 * Names with `[]` given explicit indices, by Rack's rule (Rails, so Chatwoot's clients):
 * `a[]` always adds an element; `a[][x]` sets `x` on the last element, unless that element
 * already has `x` (or is not a hash), when it starts a new one. qs alone would merge
 * every `a[][x]` into one hash.
 */
function indexRailsArrays(pairs: [string, string][]): [string, string][] {
  // Per array (the name before its first `[]`): the keys its last element has, null if not a hash.
  const arrays = new Map<string, (Set<string> | null)[]>();
  return pairs.map(([name, value]) => {
    const at = name.indexOf('[]');
    if (at <= 0) return [name, value];
    const prefix = name.slice(0, at);
    const rest = name.slice(at + 2);
    const elements = arrays.get(prefix) ?? [];
    arrays.set(prefix, elements);
    const last = elements.at(-1);
    const paths = rest.startsWith('[') ? keyPaths(rest) : [];
    // A nested `[]` never counts as a key the last element has (Rack's params_hash_has_key?).
    const fullPath = rest.includes('[]') ? undefined : paths.at(-1);
    const joinsLast = paths.length > 0 && last && !(fullPath && last.has(fullPath));
    if (joinsLast) paths.forEach((path) => last.add(path));
    else elements.push(paths.length > 0 ? new Set(paths) : null);
    return [`${prefix}[${elements.length - 1}]${rest}`, value];
  });
}

function bracketsIn(name: string): number {
  let count = 0;
  for (let at = name.indexOf('['); at >= 0; at = name.indexOf('[', at + 1)) count++;
  return count;
}

/** A well-formed name: the part before the brackets, then `[key]`s without nested brackets. */
const NAME_SHAPE = /^[^[\]]+(?:\[[^[\]]*\])*$/;

/**
 * Refuses a name used both as a plain value and as a list or hash (`labels=a&labels[]=b`,
 * `a[b]=1&a[b][c]=2`), as Rack does (qs would quietly merge them into a mixed array). `names`
 * have their `[]` indexed already. Names of any other shape are left to qs as they are.
 */
function refuseConflicts(names: string[], part: RequestPart): void {
  const values = new Set<string>();
  const containers = new Set<string>();
  for (const name of names) {
    if (!NAME_SHAPE.test(name)) continue;
    const at = name.indexOf('[');
    const keys = at < 0 ? [name] : [name.slice(0, at), ...name.slice(at + 1, -1).split('][')];
    // Every key but the last holds a list or hash; so does the one before a nested `[]`,
    // which appends to a list (and sets no value at its own path).
    const append = keys.indexOf('');
    const holders = append < 0 ? keys.length - 1 : append;
    let prefix = keys[0];
    for (let index = 1; index <= holders; index++) {
      if (values.has(prefix)) throw conflictError(prefix, part);
      containers.add(prefix);
      prefix += `[${keys[index]}]`;
    }
    if (append >= 0) continue;
    if (containers.has(prefix)) throw conflictError(prefix, part);
    values.add(prefix);
  }
}

function conflictError(field: string, part: RequestPart): DomainError {
  return new DomainError(
    'invalid',
    'conflicting_keys',
    `\`${field}\` is sent both as one value (\`${field}=\`) and as a list or hash (\`${field}[]=\` or \`${field}[key]=\`) in the ${part === 'query' ? 'query string' : 'body'}; send it one way.`,
    { errors: [{ field, messages: ['is sent both as one value and as a list or hash'] }] },
  );
}

/**
 * The object that ordered name/value `pairs` stand for, under the same limits as a JSON body
 * (depth, value and key counts, NUL and lone surrogates). Throws 400 problems.
 */
function fieldsToObject(
  pairs: Iterable<[string, string]>,
  { part, repeated }: ReadRules,
): Record<string, unknown> {
  const fields: [string, string][] = [];
  for (const pair of pairs) {
    if (fields.length >= JSON_LIMITS.values)
      throw jsonBodyError({ code: 'json_too_complex', field: '' }, part);
    // Before any bracket is read: splitting a name costs the square of its brackets (seconds
    // for a few thousand), and more than the depth limit allows are refused anyway.
    if (bracketsIn(pair[0]) > BRACKET_DEPTH)
      throw jsonBodyError({ code: 'json_too_deep', field: '' }, part);
    fields.push(pair);
  }
  const indexed = indexRailsArrays(fields);
  refuseConflicts(
    indexed.map(([name]) => name),
    part,
  );
  const encoded: string[] = [];
  for (const [name, value] of indexed) {
    try {
      // Brackets come back out in qs's decoder.
      encoded.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
    } catch {
      // URIError: a lone surrogate (a multipart field may carry one), which is not Unicode text.
      throw jsonBodyError({ code: 'invalid_characters', field: name }, part);
    }
  }
  let object: Record<string, unknown>;
  try {
    object = qs.parse(encoded.join('&'), {
      ...QS_OPTIONS,
      duplicates: repeated === 'list' ? 'combine' : 'last',
    });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const code = /depth/i.test(error.message) ? 'json_too_deep' : 'json_too_complex';
    throw jsonBodyError({ code, field: '' }, part);
  }
  const problem = jsonBodyProblem(object);
  if (problem) throw jsonBodyError(problem, part);
  return object;
}

/**
 * The object a form's ordered name/value `pairs` stand for, marked as a form body; throws the
 * 400 problems of a JSON body (and `conflicting_keys`).
 */
export function formFieldsToObject(pairs: Iterable<[string, string]>): Record<string, unknown> {
  return markFormBody(fieldsToObject(pairs, BODY_RULES));
}

/** A parsed application/x-www-form-urlencoded body. */
export function formBodyToObject(text: string): Record<string, unknown> {
  // URLSearchParams turns escapes that are not UTF-8 into U+FFFD; NUL is left for the limits.
  return formFieldsToObject(new URLSearchParams(text) as Iterable<[string, string]>);
}

/**
 * A URL's query string (without `?`) by the same rules as a form body, so Chatwoot's
 * `labels[]=a&labels[]=b` is `{ labels: ['a', 'b'] }`, except that a plain key sent twice is a
 * list. Its values stay text: the query's request class types them.
 */
export function queryStringToObject(text: string): Record<string, unknown> {
  if (text === '') return {};
  return fieldsToObject(new URLSearchParams(text) as Iterable<[string, string]>, QUERY_RULES);
}

/** Query strings `parseQueryString` could not read, by the stand-in object it answered. */
const refusedQueries = new WeakMap<object, Error>();

/**
 * `queryStringToObject` for Fastify's `querystringParser`, which must not throw (it runs inside
 * the router, where an error is not a request's): a refused query string is an empty stand-in
 * whose problem `queryStringError` gives back, for a hook to throw.
 */
export function parseQueryString(text: string): Record<string, unknown> {
  try {
    return queryStringToObject(text);
  } catch (error) {
    const standIn = {};
    refusedQueries.set(standIn, error instanceof Error ? error : new Error(String(error)));
    return standIn;
  }
}

/** Why the query `parseQueryString` answered was refused, if it was. */
export function queryStringError(query: unknown): Error | undefined {
  return typeof query === 'object' && query !== null ? refusedQueries.get(query) : undefined;
}

interface PropertyDoc {
  type?: unknown;
  isArray?: boolean;
  oneOf?: { type?: unknown }[];
  enum?: unknown;
  nullable?: boolean;
}

/** A blank form value of a nullable choice (`query_operator=` on the last filter condition) is null, as Rails reads it. */
function isBlankChoice(value: unknown, doc: PropertyDoc | undefined): boolean {
  return value === '' && !!doc?.nullable && Array.isArray(doc.enum) && !doc.enum.includes('');
}

const TRUE_TEXTS = new Set(['true', '1']);
const FALSE_TEXTS = new Set(['false', '0']);
const NUMBER_TEXT = /^-?\d+(?:\.\d+)?$/;

/** The request class a documented property holds, if its type is one (not a primitive). */
function classOf(type: unknown): (new () => object) | undefined {
  if (typeof type !== 'function' || type === Number || type === Boolean || type === String)
    return undefined;
  // `type: () => SomeClass` (lazy) or `type: SomeClass`.
  const resolved: unknown = type.prototype ? type : (type as () => unknown)();
  return typeof resolved === 'function' && resolved !== Object
    ? (resolved as new () => object)
    : undefined;
}

function coerceValue(value: unknown, type: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => coerceValue(item, type));
  if (typeof value === 'string') {
    // As Rails casts a blank form value for a number or boolean: nothing (null).
    if ((type === Number || type === Boolean) && value === '') return null;
    if (type === Number && NUMBER_TEXT.test(value)) return Number(value);
    if (type === Boolean && TRUE_TEXTS.has(value)) return true;
    if (type === Boolean && FALSE_TEXTS.has(value)) return false;
    return value;
  }
  const nested = classOf(type);
  if (nested && typeof value === 'object' && value !== null)
    return coerceFormValues(value as Record<string, unknown>, nested);
  return value;
}

/**
 * Number, for a property documented as a number or something else (`oneOf`, e.g. unix seconds
 * or an ISO 8601 time): its numeric form text is then the JSON number, anything else stays text.
 */
function numberOrOther(doc: PropertyDoc | undefined): typeof Number | undefined {
  const numeric = doc?.oneOf?.some((one) => one.type === 'integer' || one.type === 'number');
  return numeric ? Number : undefined;
}

/**
 * Form values typed by the request class `dto`: a property documented as a number gets
 * `"5"` as 5, a boolean gets `"true"`/`"1"` and `"false"`/`"0"`, either gets `""` as null
 * (clearing a nullable field, refused on any other), nested request classes and
 * arrays likewise. Anything else stays a string, so validation still says what is wrong
 * (`"five"` for a number is "must be an integer", as it would be in JSON). Free-form maps
 * (custom attributes) keep their strings, as in Chatwoot.
 */
export function coerceFormValues(
  body: Record<string, unknown>,
  dto: new () => object,
): Record<string, unknown> {
  const typed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    const doc = Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, dto.prototype, key) as
      PropertyDoc | undefined;
    const type: unknown =
      doc?.type ?? Reflect.getMetadata('design:type', dto.prototype as object, key);
    typed[key] = isBlankChoice(value, doc)
      ? null
      : doc || type
        ? coerceValue(value, numberOrOther(doc) ?? type)
        : value;
  }
  return markFormBody(typed);
}
