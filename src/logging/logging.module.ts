import { Module, RequestMethod } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import type { AppConfig } from '../config/index.js';
import { requestIdOf } from './request-id.js';

/** Headers and body fields that must never reach a log line. */
const REDACTED = [
  'req.headers.authorization',
  'req.headers.api_access_token',
  'req.headers.cookie',
  'req.body.password',
  'req.body.current_password',
  'res.headers["set-cookie"]',
];

/** Structured JSON logs (one line per request, with its request id). */
@Module({})
export class LoggingModule {
  /** Logs go to stdout, or to `destination` (the in-process tests keep each app's logs apart). */
  static forRoot(destination?: DestinationStream): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: AppConfig) => {
            const options: Options = {
              level: config.get('LOG_LEVEL', { infer: true }),
              redact: { paths: REDACTED, censor: '[redacted]' },
              genReqId: (request) => requestIdOf(request),
              customProps: () => ({ service: 'conversa' }),
              serializers: {
                req: (request: { id: string; method: string; url: string }) => ({
                  id: request.id,
                  method: request.method,
                  url: request.url,
                }),
              },
              customLogLevel: (_request, response, error) =>
                error || response.statusCode >= 500
                  ? 'error'
                  : response.statusCode >= 400
                    ? 'warn'
                    : 'info',
            };
            return {
              // nestjs-pino's default route, `{/*splat}`, never matches on the Fastify adapter of
              // Nest 12, so no request would be logged; `{*splat}` matches every path.
              forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
              pinoHttp: destination ? [options, destination] : options,
            };
          },
        }),
      ],
    };
  }
}
