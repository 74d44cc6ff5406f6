import { Body, Get, Patch } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ApiProblems } from '../common/index.js';
import { AccountScopedController } from './account-scoped.decorator.js';
import { actorOf } from './auth-context.js';
import type { AuthContext } from './auth-context.js';
import { AdministratorsOnly, CurrentAccount, CurrentAuth } from './auth.decorators.js';
import { UpdateAccountCommand } from './commands/update-account.command.js';
import { UpdateAccountRequest } from './dto/requests.js';
import { AccountResponse } from './dto/responses.js';
import { GetAccountQuery } from './queries/get-account.query.js';

/** Chatwoot's `GET|PATCH /api/v1/accounts/{account_id}`. */
@AccountScopedController('', 'Account')
export class AccountsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The account: name, locale, settings (any member)' })
  @ApiOkResponse({ type: AccountResponse })
  show(@CurrentAccount() account: { id: number }): Promise<AccountResponse> {
    return this.queries.execute(new GetAccountQuery(account.id));
  }

  @Patch()
  @AdministratorsOnly()
  @ApiOperation({
    summary: "Change the account's name, locale, domain, support email or settings",
    description:
      'Fields are flat, as in Chatwoot (also as a form). `auto_resolve_*` are kept in `settings`, `industry`, `company_size` and `timezone` in `custom_attributes`; they are stored and returned, and have no effect in Conversa. Fields left out keep their value; null removes a setting.',
  })
  @ApiOkResponse({ type: AccountResponse })
  @ApiProblems(403, 422)
  @ApiBody({
    type: UpdateAccountRequest,
    examples: {
      rename: { summary: 'A new name', value: { name: 'Acme Support' } },
      settings: {
        summary: 'Locale and settings',
        value: { locale: 'pt_BR', auto_resolve_after: 1440, industry: 'Technology' },
      },
    },
  })
  async update(
    @CurrentAccount() account: { id: number },
    @CurrentAuth() auth: AuthContext,
    @Body() body: UpdateAccountRequest,
  ): Promise<AccountResponse> {
    await this.commands.execute(new UpdateAccountCommand(account.id, body, actorOf(auth)));
    return this.queries.execute(new GetAccountQuery(account.id));
  }
}
