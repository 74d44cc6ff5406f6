import { DomainError } from './errors.js';

/**
 * Shape limits of a JSON request body, checked once right after parsing so that every route
 * (sign-in and the Client API included) refuses a hostile body before validation runs.
 * Validation (class-transformer) recurses once per level, and the cost of copying an
 * object grows with the square of its key count, so depth and width are what make a body
 * expensive, not its bytes. Every body the API accepts sits far below these.
 */
export const JSON_LIMITS = {
  /** Nesting levels, the top-level object being level 1. */
  depth: 32,
  /** Keys of any one object (attribute maps allow 100). */
  keys: 1_000,
  /** Values in the whole body: objects, arrays, strings, numbers, booleans and nulls. */
  values: 10_000,
} as const;

type Problem = { code: 'json_too_deep' | 'json_too_complex' | 'invalid_characters'; field: string };

/** `a.b[2].c` from the path of a value, for telling the caller which field is wrong. */
function fieldOf(path: (string | number)[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`,
    )
    .join('');
}

/**
 * Text that PostgreSQL cannot store: NUL, or a lone UTF-16 surrogate (not valid Unicode). In a
 * `u` regex a well-formed pair is one code point, so only lone surrogates match \p{Cs}.
 */
const LONE_SURROGATE = /\p{Cs}/u;
const unstorable = (text: string): boolean => text.includes('\u0000') || LONE_SURROGATE.test(text);

/**
 * The first reason `body` may not be processed, or null. Walks the parsed value without
 * recursion (a deep body must not exhaust the stack here either) and stops at the first
 * problem, so a hostile body costs at most `values` steps.
 */
export function jsonBodyProblem(body: unknown): Problem | null {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: body, path: [] }];
  // Counted when their container is reached, so a wide container is refused before its
  // children are even looked at.
  let values = 1;
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (unstorable(value)) return { code: 'invalid_characters', field: fieldOf(path) };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (path.length >= JSON_LIMITS.depth) return { code: 'json_too_deep', field: fieldOf(path) };
    if (Array.isArray(value)) {
      values += value.length;
      if (values > JSON_LIMITS.values) return { code: 'json_too_complex', field: fieldOf(path) };
      for (let index = value.length - 1; index >= 0; index--)
        stack.push({ value: value[index], path: [...path, index] });
      continue;
    }
    const keys = Object.keys(value);
    values += keys.length;
    if (keys.length > JSON_LIMITS.keys || values > JSON_LIMITS.values)
      return { code: 'json_too_complex', field: fieldOf(path) };
    for (let index = keys.length - 1; index >= 0; index--) {
      const key = keys[index];
      if (unstorable(key))
        return { code: 'invalid_characters', field: fieldOf([...path, '(a key)']) };
      stack.push({ value: (value as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
  return null;
}

/**
 * The same depth and size limits, read from the raw bytes before JSON.parse, which itself
 * spends a third of a second on 300,000 nested brackets. One pass, no allocation: brackets and
 * commas outside strings. A body has at least one value more than it has commas, so refusing
 * on the comma count never refuses a body the exact walk would accept.
 */
export function jsonTextProblem(text: Uint8Array): Problem | null {
  let depth = 0;
  let commas = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const byte = text[index];
    if (inString) {
      if (byte === 0x5c)
        index++; // a backslash escapes the next byte
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x5b || byte === 0x7b) {
      if (++depth > JSON_LIMITS.depth) return { code: 'json_too_deep', field: '' };
    } else if (byte === 0x5d || byte === 0x7d) depth--;
    else if (byte === 0x2c && ++commas >= JSON_LIMITS.values)
      return { code: 'json_too_complex', field: '' };
  }
  return null;
}

/** Where a refused value came from: a request body (JSON or form) or the URL's query string. */
export type RequestPart = 'body' | 'query';

const QUERY_CODES = { json_too_deep: 'query_too_deep', json_too_complex: 'query_too_complex' };

/** The 400 problem for a body `jsonBodyProblem` or `jsonTextProblem` refused (or a query string). */
export function jsonBodyError({ code, field }: Problem, part: RequestPart = 'body'): DomainError {
  const whole = part === 'query' ? 'the query string' : 'the body';
  const what = part === 'query' ? 'The query string' : 'The JSON body';
  const where = field ? `at ${field}` : `in ${whole}`;
  const errors = [{ field: field || `(${part})`, messages: [] as string[] }];
  let detail: string;
  if (code === 'json_too_deep') {
    detail = `${what} nests deeper than ${JSON_LIMITS.depth} levels ${where}; send a flatter ${part === 'query' ? 'query' : 'document'}.`;
    errors[0].messages.push(`nests deeper than ${JSON_LIMITS.depth} levels`);
  } else if (code === 'json_too_complex') {
    detail = `${what} has more than ${JSON_LIMITS.values} values in total, or an object with more than ${JSON_LIMITS.keys} keys (${where}); send fewer fields or values.`;
    errors[0].messages.push(
      `too many values (at most ${JSON_LIMITS.values} in ${whole}, ${JSON_LIMITS.keys} keys per object)`,
    );
  } else {
    detail = `The string ${where} contains characters that cannot be stored (a NUL, \\u0000, or a lone UTF-16 surrogate such as \\ud800); send valid Unicode text.`;
    errors[0].messages.push('contains NUL or a lone UTF-16 surrogate; send valid Unicode text');
  }
  const stableCode = part === 'query' && code !== 'invalid_characters' ? QUERY_CODES[code] : code;
  return new DomainError('invalid', stableCode, detail, { errors });
}
