import {
  applyDecorators,
  createParamDecorator,
  RequestMapping,
  RequestMethod,
} from '@nestjs/common';
import type { ExecutionContext } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ParseIdPipe } from '../common/index.js';
import type { EndpointRef } from './commands/webhook.commands.js';

const ACCOUNT_WEBHOOK = 'webhooks/:id';
const INBOX_WEBHOOK = 'inboxes/:id/webhook';

/**
 * An action on one endpoint, served at both of its addresses: `/webhooks/{id}/<action>` for an
 * account webhook and `/inboxes/{id}/webhook/<action>` for an inbox's own webhook.
 */
export function EndpointAction(method: 'GET' | 'POST', action: string) {
  return applyDecorators(
    RequestMapping({
      method: RequestMethod[method],
      path: [`${ACCOUNT_WEBHOOK}/${action}`, `${INBOX_WEBHOOK}/${action}`],
    }),
    ApiParam({
      name: 'id',
      type: Number,
      description: 'The webhook, or under /inboxes/{id}/webhook the inbox',
    }),
  );
}

/** The endpoint the route names, in the caller's account (see EndpointAction). */
export const Endpoint = createParamDecorator(
  (_: unknown, context: ExecutionContext): EndpointRef => {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const accountId = request.auth!.account!.id;
    const id = new ParseIdPipe().transform((request.params as { id: string }).id, { data: 'id' });
    return request.routeOptions.url?.includes(`/${INBOX_WEBHOOK}/`)
      ? { accountId, inboxId: id }
      : { accountId, webhookId: id };
  },
);
