import { Body, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
} from '@nestjs/swagger';
import { AccountScopedController, CurrentAccount, CurrentAuth } from '../accounts/index.js';
import type { AuthContext, Role } from '../accounts/index.js';
import { ApiEmptyResponse, ApiProblems, BodyWrapper, ParseIdPipe } from '../common/index.js';
import {
  CustomFilterOwner,
  DeleteCustomFilterCommand,
  SaveCustomFilterCommand,
} from './commands/custom-filter.commands.js';
import {
  CreateCustomFilterRequest,
  CustomFilterResponse,
  ListCustomFiltersParams,
  UpdateCustomFilterRequest,
} from './dto/custom-filter.dto.js';
import { ListCustomFiltersQuery } from './queries/list-custom-filters.query.js';

type Account = { id: number; role: Role };

const ownerOf = (account: Account, auth: AuthContext): CustomFilterOwner => ({
  accountId: account.id,
  userId: auth.userId,
  role: account.role,
});

const FILTER_ID = ApiParam({
  name: 'custom_filter_id',
  type: Number,
  description: 'One of your custom filters',
});

/**
 * Saved filters ("custom views"), per user as in Chatwoot: each member sees and changes only
 * their own. A conversation or contact filter runs by sending its `query` to
 * POST /conversations/filter or /contacts/filter.
 */
@AccountScopedController('custom_filters', 'Custom filters')
export class CustomFiltersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Your custom filters of a type (default conversation), oldest first' })
  @ApiOkResponse({ type: [CustomFilterResponse] })
  @ApiProblems(422)
  list(
    @CurrentAccount() account: Account,
    @CurrentAuth() auth: AuthContext,
    @Query() query: ListCustomFiltersParams,
  ): Promise<CustomFilterResponse[]> {
    return this.queries.execute(
      new ListCustomFiltersQuery(ownerOf(account, auth), {
        filterType: query.filter_type ?? 'conversation',
      }),
    );
  }

  @Post()
  @BodyWrapper('custom_filter')
  @ApiOperation({
    summary: 'Save a filter',
    description:
      'A conversation or contact query is checked as its filter endpoint checks it (unknown attributes, operators and values are a 422 now). At most 50 per user and account.',
  })
  @ApiCreatedResponse({ type: CustomFilterResponse })
  @ApiProblems(422)
  @ApiBody({
    type: CreateCustomFilterRequest,
    examples: {
      open: {
        summary: 'Open conversations',
        value: {
          name: 'Open',
          filter_type: 'conversation',
          query: {
            payload: [
              {
                attribute_key: 'status',
                filter_operator: 'equal_to',
                values: ['open'],
                query_operator: null,
              },
            ],
          },
        },
      },
      contacts: {
        summary: 'Contacts from one domain',
        value: {
          name: 'Example Inc.',
          filter_type: 'contact',
          query: {
            payload: [
              { attribute_key: 'email', filter_operator: 'contains', values: ['@example.com'] },
            ],
          },
        },
      },
    },
  })
  async create(
    @CurrentAccount() account: Account,
    @CurrentAuth() auth: AuthContext,
    @Body() body: CreateCustomFilterRequest,
  ): Promise<CustomFilterResponse> {
    const owner = ownerOf(account, auth);
    const { id } = await this.commands.execute(
      new SaveCustomFilterCommand(owner, null, {
        name: body.name,
        filterType: body.filter_type ?? body.type,
        // Chatwoot's column defaults to {} (a form cannot send an empty object).
        query: body.query ?? {},
      }),
    );
    return this.one(owner, id);
  }

  @Get(':custom_filter_id')
  @FILTER_ID
  @ApiOperation({ summary: 'One of your custom filters' })
  @ApiOkResponse({ type: CustomFilterResponse })
  @ApiProblems(400)
  show(
    @CurrentAccount() account: Account,
    @CurrentAuth() auth: AuthContext,
    @Param('custom_filter_id', ParseIdPipe) id: number,
  ): Promise<CustomFilterResponse> {
    return this.one(ownerOf(account, auth), id);
  }

  @Patch(':custom_filter_id')
  @BodyWrapper('custom_filter')
  @FILTER_ID
  @ApiOperation({ summary: 'Change one of your custom filters (the query is checked again)' })
  @ApiOkResponse({ type: CustomFilterResponse })
  @ApiProblems(400, 422)
  @ApiBody({
    type: UpdateCustomFilterRequest,
    examples: { rename: { summary: 'Rename it', value: { name: 'Open, mine' } } },
  })
  async update(
    @CurrentAccount() account: Account,
    @CurrentAuth() auth: AuthContext,
    @Param('custom_filter_id', ParseIdPipe) id: number,
    @Body() body: UpdateCustomFilterRequest,
  ): Promise<CustomFilterResponse> {
    const owner = ownerOf(account, auth);
    await this.commands.execute(
      new SaveCustomFilterCommand(owner, id, {
        name: body.name,
        filterType: body.filter_type ?? body.type,
        query: body.query,
      }),
    );
    return this.one(owner, id);
  }

  @Delete(':custom_filter_id')
  @FILTER_ID
  @ApiOperation({ summary: 'Delete one of your custom filters' })
  @ApiEmptyResponse('Deleted')
  @ApiProblems(400)
  async remove(
    @CurrentAccount() account: Account,
    @CurrentAuth() auth: AuthContext,
    @Param('custom_filter_id', ParseIdPipe) id: number,
  ): Promise<void> {
    await this.commands.execute(new DeleteCustomFilterCommand(ownerOf(account, auth), id));
  }

  private async one(owner: CustomFilterOwner, id: number): Promise<CustomFilterResponse> {
    const [row] = await this.queries.execute(new ListCustomFiltersQuery(owner, { id }));
    return row;
  }
}
