import fastifyMultipart from '@fastify/multipart';
import { HttpException } from '@nestjs/common';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { errorCodes } from 'fastify';
import type { FastifyError, FastifyReply, FastifyRequest, RawServerDefault } from 'fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module.js';
import { Reflector } from '@nestjs/core';
import { documentAttachmentBodies } from './attachments/index.js';
import {
  BodyWrapperInterceptor,
  createValidationPipe,
  formBodyToObject,
  IGNORED_FIELDS_HEADER,
  ignoredFields,
  documentBodyProblems,
  documentQueryProblems,
  documentIdempotency,
  documentTransport,
  DomainError,
  jsonBodyError,
  jsonBodyProblem,
  jsonTextProblem,
  parseQueryString,
  ProblemDetailsFilter,
  queryStringError,
  sendProblem,
} from './common/index.js';
import type { Environment } from './config/index.js';
import { requestIdOf } from './logging/index.js';
import { webhookDocuments } from './webhooks/index.js';

export const API_VERSION = '0.1.0';

const MAX_PARAM_LENGTH = 1024;

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

type ParserDone = (error: Error | null, body?: unknown) => void;

/** The errors Fastify's router raises before routing (found by the fuzz suite), as problems. */
function frameworkError(error: FastifyError): Error {
  if (error.code === 'FST_ERR_BAD_URL') {
    return new DomainError(
      'invalid',
      'malformed_url',
      'The URL is not valid: a percent escape in it does not decode to UTF-8 text (such as %FF, or an encoded lone surrogate); percent-encode the UTF-8 bytes of each character.',
    );
  }
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return new HttpException(
      `A path segment is longer than ${MAX_PARAM_LENGTH} characters; no id or identifier is that long.`,
      414,
    );
  }
  return new HttpException(error.message, error.statusCode ?? 400);
}

export interface AppOptions {
  /** Where the logs go instead of stdout (the in-process e2e tests keep each app's apart). */
  logDestination?: DestinationStream;
}

/**
 * Builds the whole HTTP application exactly as production runs it; the e2e tests use this too
 * (in their own process, or in jest's), so they exercise the same pipes, filters, parsers and
 * limits. Everything it reads comes from `env`: several apps can live in one process.
 */
export async function createApp(
  env: Environment,
  { logDestination }: AppOptions = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: env.BODY_LIMIT_BYTES,
    genReqId: requestIdOf,
    return503OnClosing: true,
    // source_ids and identifiers may be 255 characters, more once URL-encoded. Chatwoot's
    // clients sometimes end paths with a slash (`POST .../inboxes/`); it is the same route.
    // Query strings read as Rails reads them, like form bodies: `labels[]=a&labels[]=b` is
    // `{ labels: ['a', 'b'] }` (src/common/form-body.ts); one refused is a 400 (onRequest below).
    routerOptions: {
      maxParamLength: MAX_PARAM_LENGTH,
      ignoreTrailingSlash: true,
      querystringParser: parseQueryString,
    },
    // The router refuses some URLs before Nest sees them; they get problems like any error.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      // The onRequest hook below does not run for these either.
      void reply.header('x-request-id', request.id);
      sendProblem(frameworkError(error), request, reply, env.BODY_LIMIT_BYTES);
    },
  });
  // Nest's default parsers would also accept form bodies; only JSON is registered, below.
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(env, logDestination),
    adapter,
    {
      bufferLogs: true,
      bodyParser: false,
    },
  );
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(createValidationPipe(env.UNKNOWN_FIELDS));
  app.useGlobalInterceptors(new BodyWrapperInterceptor(app.get(Reflector)));
  app.useGlobalFilters(new ProblemDetailsFilter(env.BODY_LIMIT_BYTES));

  const fastify = app.getHttpAdapter().getInstance();
  // JSON and forms (Rails-style bracket keys) only: a text/plain body would otherwise reach
  // validation as a string. Fastify's own JSON parser (which refuses __proto__ keys) first,
  // then the shape limits. An empty body is an empty object, as Chatwoot reads it.
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  const parseJsonBody = (request: FastifyRequest, body: Buffer, done: ParserDone) => {
    if (body.toString('utf8').trim() === '') return done(null, {});
    const tooBig = jsonTextProblem(body);
    if (tooBig) return done(jsonBodyError(tooBig), undefined);
    parseJson(request, body.toString('utf8'), (error, value) => {
      if (error) return done(error, undefined);
      const problem = jsonBodyProblem(value);
      done(problem ? jsonBodyError(problem) : null, problem ? undefined : value);
    });
  };
  app.useBodyParser<RawServerDefault>(
    'application/json',
    { bodyLimit: env.BODY_LIMIT_BYTES },
    parseJsonBody,
  );
  app.useBodyParser<RawServerDefault>(
    'application/x-www-form-urlencoded',
    { bodyLimit: env.BODY_LIMIT_BYTES },
    (_request, body, done) => {
      try {
        done(null, formBodyToObject(body.toString('utf8')));
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );
  fastify.removeContentTypeParser('text/plain');
  // Any other type (and none): a body sent without a content type is read as JSON; a type
  // Conversa does not read answers 415.
  fastify.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: env.BODY_LIMIT_BYTES },
    (request, body, done) => {
      if (request.headers['content-type'] !== undefined)
        return done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(), undefined);
      parseJsonBody(request, body as Buffer, done);
    },
  );
  fastify.addHook('preValidation', async (request) => {
    // A POST, PUT or PATCH without any body (no content type either) is an empty object too.
    if (request.body === undefined && BODY_METHODS.has(request.method)) request.body = {};
  });
  fastify.addHook('onSend', async (request, reply) => {
    const ignored = [...ignoredFields(request.body), ...ignoredFields(request.query)];
    if (ignored.length) void reply.header(IGNORED_FIELDS_HEADER, ignored.join(', '));
  });
  // multipart/form-data is read after authentication, by the attachments module's
  // MultipartInterceptor (text fields as the body, files streamed to storage); here the parser
  // only marks the request. Its limits are set per request there.
  await app.register(fastifyMultipart);
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
    const refusedQuery = queryStringError(request.query);
    if (refusedQuery) throw refusedQuery;
  });

  setUpOpenApi(app, env);
  return app;
}

/**
 * The same application without HTTP (no routes, pipes or filters): command and query buses,
 * stores and the database, for the handler tests. Close it with `close()`.
 */
export async function createAppContext(
  env: Environment,
  { logDestination }: AppOptions = {},
): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(env, logDestination), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  return app;
}

function setUpOpenApi(app: NestFastifyApplication, env: Environment): void {
  const config = new DocumentBuilder()
    .setTitle('Conversa API')
    .setVersion(API_VERSION)
    .setDescription(
      [
        'The Application API (`/api/v1/...`) takes an access token in the `api_access_token` header or as',
        '`Authorization: Bearer <token>`. Every error is RFC 9457 `application/problem+json` with a stable `code`.',
        'Every route may answer 429 with `Retry-After` when the rate limit of the credential (or IP) is reached.',
        '\n\nRequests are read as Chatwoot clients send them: a trailing slash is the same route; a POST, PUT or PATCH',
        'without a body is `{}`; `application/x-www-form-urlencoded` bodies with Rails bracket keys (`message[content]`, `labels[]`)',
        'are accepted wherever JSON is, their values typed by the field they fill (`inbox_id=5`, `private=true`); query strings',
        'take the same bracket keys, and a list parameter such as `labels` is sent as `labels[]=a&labels[]=b` (as Rails reads it),',
        '`labels=a&labels=b` or `labels=a,b`; routes marked',
        '`x-body-wrapper` also take their fields nested under that key (`{ "agent": { ... } }`), as Chatwoot does.',
        `Unknown fields: this deployment ${env.UNKNOWN_FIELDS === 'ignore' ? 'drops them, as Chatwoot does, and names them in the `Conversa-Ignored-Fields` response header' : 'answers 422 naming them (`UNKNOWN_FIELDS=ignore` drops them instead and names them in the `Conversa-Ignored-Fields` response header)'}.`,
      ].join(' '),
    )
    .addSecurity('api_access_token', { type: 'apiKey', in: 'header', name: 'api_access_token' })
    .addBearerAuth()
    .setOpenAPIVersion('3.1.0')
    .build();
  // 3.1 for the `webhooks` section: the body of every event a webhook receives.
  const document = documentAttachmentBodies(
    documentTransport(
      documentIdempotency(
        documentQueryProblems(
          documentBodyProblems(
            SwaggerModule.createDocument(app, { ...config, webhooks: webhookDocuments() }),
          ),
        ),
      ),
    ),
  );
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
}
