import { applyDecorators, Controller } from '@nestjs/common';
import { ApiExtraModels, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiAuthenticated } from '../accounts/index.js';
import { ApiProblems } from '../common/index.js';

/**
 * A controller under `<prefix>/accounts/{account_id}/<path>` (Chatwoot serves reports under
 * /api/v2). The access guard checks membership of the URL's account for every route.
 */
export function ReportController(
  prefix: 'api/v1' | 'api/v2',
  path: string,
  ...models: (new () => unknown)[]
) {
  return applyDecorators(
    Controller(`${prefix}/accounts/:account_id${path ? `/${path}` : ''}`),
    ApiTags('Reports'),
    ApiExtraModels(...models),
    ApiParam({
      name: 'account_id',
      type: Number,
      description: 'The account, which the caller must belong to',
    }),
    ApiAuthenticated(),
    ApiProblems(404),
  );
}
