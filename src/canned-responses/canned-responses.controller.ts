import { Body, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AccountScopedController, CurrentAccount } from '../accounts/index.js';
import { ApiEmptyResponse, ApiProblems, BodyWrapper, ParseIdPipe } from '../common/index.js';
import {
  DeleteCannedResponseCommand,
  SaveCannedResponseCommand,
} from './commands/canned-response.commands.js';
import {
  CannedResponseResponse,
  CreateCannedResponseRequest,
  SearchCannedResponsesParams,
  UpdateCannedResponseRequest,
} from './dto/canned-response.dto.js';
import { SearchCannedResponsesQuery } from './queries/search-canned-responses.query.js';

type Account = { id: number };

/** Canned responses: every member of the account reads and writes them, as in Chatwoot. */
@AccountScopedController('canned_responses', 'Canned responses')
export class CannedResponsesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({ summary: "The account's canned responses (`search` filters and ranks them)" })
  @ApiOkResponse({ type: [CannedResponseResponse] })
  @ApiProblems(422)
  list(
    @CurrentAccount() account: Account,
    @Query() query: SearchCannedResponsesParams,
  ): Promise<CannedResponseResponse[]> {
    return this.queries.execute(
      new SearchCannedResponsesQuery(account.id, { search: query.search }),
    );
  }

  @Post()
  @BodyWrapper('canned_response')
  @ApiOperation({ summary: 'Create a canned response (short codes are unique per account)' })
  @ApiCreatedResponse({ type: CannedResponseResponse })
  @ApiProblems(409, 422)
  @ApiBody({
    type: CreateCannedResponseRequest,
    examples: {
      welcome: {
        summary: 'A greeting',
        value: { short_code: 'welcome', content: 'Hello {{contact.name}}! How can we help?' },
      },
    },
  })
  async create(
    @CurrentAccount() account: Account,
    @Body() body: CreateCannedResponseRequest,
  ): Promise<CannedResponseResponse> {
    const { id } = await this.commands.execute(
      new SaveCannedResponseCommand(account.id, null, {
        shortCode: body.short_code,
        content: body.content,
      }),
    );
    return this.one(account.id, id);
  }

  @Patch(':id')
  @BodyWrapper('canned_response')
  @ApiOperation({ summary: 'Update a canned response' })
  @ApiOkResponse({ type: CannedResponseResponse })
  @ApiProblems(400, 409, 422)
  @ApiBody({
    type: UpdateCannedResponseRequest,
    examples: { content: { summary: 'New text', value: { content: 'Hi {{contact.name}}!' } } },
  })
  async update(
    @CurrentAccount() account: Account,
    @Param('id', ParseIdPipe) id: number,
    @Body() body: UpdateCannedResponseRequest,
  ): Promise<CannedResponseResponse> {
    await this.commands.execute(
      new SaveCannedResponseCommand(account.id, id, {
        shortCode: body.short_code,
        content: body.content,
      }),
    );
    return this.one(account.id, id);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a canned response' })
  @ApiEmptyResponse('Deleted')
  @ApiProblems(400)
  async remove(
    @CurrentAccount() account: Account,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<void> {
    await this.commands.execute(new DeleteCannedResponseCommand(account.id, id));
  }

  private async one(accountId: number, id: number): Promise<CannedResponseResponse> {
    const [row] = await this.queries.execute(new SearchCannedResponsesQuery(accountId, { id }));
    return row;
  }
}
