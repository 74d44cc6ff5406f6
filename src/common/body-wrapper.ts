import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExtension } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { isFormBody, markFormBody } from './form-body.js';

const BODY_WRAPPER = 'conversa:body-wrapper';

/** The OpenAPI extension naming an operation's wrapper key (documentTransport describes it). */
export const BODY_WRAPPER_EXTENSION = 'x-body-wrapper';

/**
 * The route also takes its body nested under `key`, as Chatwoot's Rails controllers read it
 * (`params.require(:agent)`): `{ "agent": { "role": "agent" } }` is `{ "role": "agent" }`.
 * Flat keys sent beside the wrapper are kept; a key in both takes the wrapper's value.
 */
export const BodyWrapper = (key: string) =>
  applyDecorators(SetMetadata(BODY_WRAPPER, key), ApiExtension(BODY_WRAPPER_EXTENSION, key));

/** The body with the object under `key` merged into its top level. */
export function unwrapBody(body: unknown, key: string): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const { [key]: wrapped, ...flat } = body as Record<string, unknown>;
  if (typeof wrapped !== 'object' || wrapped === null || Array.isArray(wrapped)) return body;
  const merged = { ...flat, ...(wrapped as Record<string, unknown>) };
  return isFormBody(body) ? markFormBody(merged) : merged;
}

/** Applies `@BodyWrapper` before the validation pipe sees the body (interceptors run first). */
@Injectable()
export class BodyWrapperInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const key = this.reflector.get<string | undefined>(BODY_WRAPPER, context.getHandler());
    if (key !== undefined) {
      const request = context.switchToHttp().getRequest<FastifyRequest>();
      request.body = unwrapBody(request.body, key);
    }
    return next.handle();
  }
}
