import { createParamDecorator, Injectable } from '@nestjs/common';
import type { ExecutionContext, PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ParseIdPipe } from '../common/index.js';
import type { ConversationRef } from '../conversations/index.js';
import { PublicContext } from './public-context.service.js';
import type { ContactContext, PublicRoute } from './public-context.service.js';

/** What a Client API path names: the inbox, the contact's source_id, maybe a conversation. */
interface PublicLookup {
  route: PublicRoute;
  identifier: string;
  sourceId: string;
  identifierHash: string | undefined;
  displayId?: number;
}

const publicLookup = createParamDecorator(
  (
    { route, withConversation }: { route: PublicRoute; withConversation: boolean },
    context: ExecutionContext,
  ): PublicLookup => {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const params = request.params as Record<string, string>;
    const hash = (request.query as Record<string, unknown>).identifier_hash;
    return {
      route,
      identifier: params.inbox_identifier,
      sourceId: params.source_id,
      // A malformed hash (not one string) is the query DTO's 422; here it proves nothing.
      identifierHash: typeof hash === 'string' ? hash : undefined,
      // The same 400 as @Param('id', ParseIdPipe), before anything is looked up.
      ...(withConversation
        ? { displayId: new ParseIdPipe().transform(params.id, { data: 'id' }) }
        : {}),
    };
  },
);

/** Resolves the lookup through PublicContext (a pipe, so that it can be injected). */
@Injectable()
export class ResolvePublicContextPipe implements PipeTransform<
  PublicLookup,
  Promise<ContactContext>
> {
  constructor(private readonly context: PublicContext) {}

  transform({ route, identifier, sourceId, identifierHash, displayId }: PublicLookup) {
    return displayId === undefined
      ? this.context.contact(identifier, sourceId, identifierHash, route)
      : this.context.conversation(identifier, sourceId, displayId, identifierHash);
  }
}

/**
 * The inbox and contact of a Client API path (`:inbox_identifier`, `:source_id`), after the
 * inbox's identity validation (`identifier_hash` in the query) when it is mandatory: always on
 * the contact's own routes (`route` contact), on its conversation routes (`conversations`)
 * only with hmac_scope every_request.
 */
export const ContactParam = (route: PublicRoute) =>
  publicLookup({ route, withConversation: false }, ResolvePublicContextPipe);

/** ContactParam and the contact's conversation of the path's `:id` (its display id). */
export function ConversationParam(): ParameterDecorator {
  return (target, key, index) => {
    publicLookup({ route: 'conversations', withConversation: true }, ResolvePublicContextPipe)(
      target,
      key,
      index,
    );
    // A custom decorator is invisible to the OpenAPI scan: document the path parameter here.
    ApiParam({ name: 'id', type: Number, description: "The conversation's display id" })(
      target,
      key!,
      Object.getOwnPropertyDescriptor(target, key!)!,
    );
  };
}

export type ConversationContext = ContactContext & { conversation: ConversationRef };
