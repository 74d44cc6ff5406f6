import { applyDecorators, Controller } from '@nestjs/common';
import { ApiBearerAuth, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../common/index.js';

/**
 * Documents that a route takes an access token, in either of the two accepted headers; an agent
 * bot's token gets 403 on every route not marked @AgentBotsAllowed.
 */
export function ApiAuthenticated() {
  return applyDecorators(ApiSecurity('api_access_token'), ApiBearerAuth(), ApiProblems(401, 403));
}

/**
 * A controller under /api/v1/accounts/{account_id}/<path>. The access guard checks that the
 * caller belongs to the account (404 otherwise) for every route below it.
 */
export function AccountScopedController(path: string, tag: string) {
  return applyDecorators(
    Controller(`api/v1/accounts/:account_id/${path}`),
    ApiTags(tag),
    ApiParam({
      name: 'account_id',
      type: Number,
      description: 'The account, which the caller must belong to',
    }),
    ApiAuthenticated(),
    ApiProblems(404),
  );
}
