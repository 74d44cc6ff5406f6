import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';
import { BODY_WRAPPER_EXTENSION } from './body-wrapper.js';
import { PROBLEM_CONTENT_TYPE, ProblemDetails } from './problem-details.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed request: invalid JSON (malformed_json), nested deeper than 32 levels (json_too_deep), more than 10,000 values or 1,000 keys in an object (json_too_complex), NUL or a lone UTF-16 surrogate in a string (invalid_characters), a form key sent both as a value and as a list or hash (conflicting_keys), or a path id that is not plain digits (invalid_id)',
  401: 'Missing, malformed, unknown, expired or revoked credential',
  403: "The credential is valid but its role may not do this (an agent bot's token reaches only the routes a bot needs: agent_bot_not_allowed)",
  404: 'Not found, or in an account the credential does not belong to',
  409: 'Conflicts with the current state',
  413: 'Request body larger than the configured limit',
  415: 'Body is not application/json',
  422: 'A field is invalid (null where a field is not nullable included); `errors` lists every bad field',
  429: 'Rate limit reached; retry after the Retry-After seconds',
};

/** Documents the problem+json answers a route can give, besides the 429 every route can. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  const all = [...new Set([...statuses, 429])].sort();
  return applyDecorators(
    ApiExtraModels(ProblemDetails),
    ...all.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetails) } } },
      }),
    ),
  );
}

/** What any route taking a JSON body can answer before it runs: bad JSON, too large, not JSON. */
const BODY_STATUSES = [400, 413, 415];

/**
 * Adds the problems of a request body to every operation that takes one, so that no module
 * has to remember them (and the filter answers them for every route alike).
 */
export function documentBodyProblems(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const operation of [item.post, item.put, item.patch, item.delete]) {
      if (!operation?.requestBody) continue;
      for (const status of BODY_STATUSES) {
        operation.responses[status] ??= {
          description: DESCRIPTIONS[status],
          content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetails) } } },
        };
      }
    }
  }
  return document;
}

const QUERY_PROBLEMS =
  'Malformed query string: nested deeper than 32 levels (query_too_deep), more than 10,000 values or 1,000 keys in an object (query_too_complex), NUL in a value (invalid_characters), a key sent both as a value and as a list or hash such as `labels=a&labels[]=b` (conflicting_keys), or escapes that are not UTF-8 (malformed_url)';

/**
 * Adds the 400 of a refused query string (src/common/form-body.ts) to every operation that
 * takes query parameters.
 */
export function documentQueryProblems(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const operation of [item.get, item.post, item.put, item.patch, item.delete]) {
      const parameters = [...(item.parameters ?? []), ...(operation?.parameters ?? [])];
      if (
        !operation ||
        !parameters.some((parameter) => 'in' in parameter && parameter.in === 'query')
      )
        continue;
      operation.responses[400] ??= {
        description: QUERY_PROBLEMS,
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetails) } } },
      };
    }
  }
  return document;
}

/**
 * Documents the Idempotency-Key header on every create (POST) of the Application and Client
 * APIs (the interceptor applies it to all of them), and the replay header of the answer.
 */
export function documentIdempotency(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    const operation = item.post;
    if (!operation || !(path.startsWith('/api/v1/accounts/') || path.startsWith('/public/')))
      continue;
    operation.parameters = [
      ...(operation.parameters ?? []),
      {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description:
          'Makes the request safe to retry for 24 h: it is applied at most once. A retry with the same key and body gets the first answer again (with Idempotent-Replayed: true); another request with the key is 422 `idempotency_key_reused`; while the first still runs, 409 `idempotency_key_in_flight` (retry later). If the first was applied but the server stopped before storing its answer, every retry is 409 `idempotency_key_answer_lost` (with `applied_at`): do not retry, look the result up. A request that failed before applying anything frees its key.',
        schema: { type: 'string', maxLength: 255 },
      },
    ];
    for (const status of [409, 422]) {
      operation.responses[status] ??= {
        description:
          status === 409
            ? 'A request with this Idempotency-Key is still running (`idempotency_key_in_flight`), or was applied but its answer was lost (`idempotency_key_answer_lost`)'
            : 'Idempotency-Key reused with another request (`idempotency_key_reused`)',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetails) } } },
      };
    }
  }
  return document;
}

/**
 * A success answer without a body (Nest sends `Content-Length: 0` for a handler returning
 * nothing). The header makes "no body" explicit, so a missing schema is never an oversight.
 */
export function ApiEmptyResponse(description: string, status = 200): MethodDecorator {
  return ApiResponse({
    status,
    description: `${description} (no body)`,
    headers: {
      'Content-Length': { description: 'No body', schema: { type: 'integer', enum: [0] } },
    },
  });
}

/** An answer of `{}`: the action was done and there is nothing to show. */
export function ApiDoneResponse(description = 'Done: an empty object'): MethodDecorator {
  return ApiResponse({
    status: 200,
    description,
    content: {
      'application/json': {
        schema: { type: 'object', additionalProperties: false, example: {} },
      },
    },
  });
}

const FORM_TYPE = 'application/x-www-form-urlencoded';

/**
 * Documents the transport every body-taking operation has (src/app.factory.ts): the same
 * schema as a form (Rails bracket keys), and the Chatwoot wrapper key where the route has one.
 */
export function documentTransport(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const operation of [item.post, item.put, item.patch, item.delete]) {
      const body = operation?.requestBody;
      if (!body || !('content' in body)) continue;
      const json = body.content['application/json'];
      if (!json?.schema) continue;
      body.content[FORM_TYPE] ??= { schema: json.schema };
      const wrapper = (operation as unknown as Record<string, unknown>)[BODY_WRAPPER_EXTENSION];
      if (typeof wrapper === 'string') {
        const note = `Chatwoot's wrapped form is accepted too: \`{ "${wrapper}": { ... } }\` (or \`${wrapper}[field]=\` in a form) is the same as the fields at the top level; a field sent both ways takes the wrapped value.`;
        body.description = body.description ? `${body.description} ${note}` : note;
      }
    }
  }
  return document;
}
