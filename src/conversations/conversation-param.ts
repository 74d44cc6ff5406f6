import { createParamDecorator, Injectable } from '@nestjs/common';
import type { ExecutionContext, PipeTransform } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiParam } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { viewerOf } from '../accounts/index.js';
import { ParseIdPipe } from '../common/index.js';
import type { ConversationRef } from './dto/conversation-ref.js';
import { FindConversationQuery } from './queries/find-conversation.query.js';

/** The look-up the request asks for: the URL's `:id` (a display id) for its caller. */
export type ConversationLookup = FindConversationQuery;

const conversationLookup = createParamDecorator(
  (_: unknown, context: ExecutionContext): ConversationLookup => {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const auth = request.auth;
    if (!auth?.account) throw new Error('ConversationParam used on a route without :account_id');
    const raw = (request.params as Record<string, string>).id;
    // The same 400 as @Param('id', ParseIdPipe), before anything is looked up.
    const displayId = new ParseIdPipe().transform(raw, { data: 'id' });
    return new FindConversationQuery({
      accountId: auth.account.id,
      displayId,
      viewer: viewerOf(auth),
    });
  },
);

/** Resolves the look-up through the query bus (a pipe, so that it can be injected). */
@Injectable()
export class FindConversationPipe implements PipeTransform<
  ConversationLookup,
  Promise<ConversationRef>
> {
  constructor(private readonly queries: QueryBus) {}

  transform(lookup: ConversationLookup): Promise<ConversationRef> {
    return this.queries.execute(lookup);
  }
}

/**
 * The conversation of the URL's `:id` (the per-account display id), as the caller may see it:
 * a 400 for a malformed id, a 404 outside their inboxes.
 */
export function ConversationParam(): ParameterDecorator {
  return (target, key, index) => {
    conversationLookup(undefined, FindConversationPipe)(target, key, index);
    // A custom decorator is invisible to the OpenAPI scan: document the path parameter here.
    ApiParam({ name: 'id', type: Number, description: 'The per-account display id' })(
      target,
      key!,
      Object.getOwnPropertyDescriptor(target, key!)!,
    );
  };
}
