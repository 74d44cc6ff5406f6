import { Body, Delete, Get, Param, Patch, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import {
  AccountScopedController,
  actorOf,
  AdministratorsOnly,
  CurrentAccount,
  CurrentAuth,
} from '../accounts/index.js';
import type { AuthContext } from '../accounts/index.js';
import { ApiEmptyResponse, ApiProblems, BodyWrapper, ParseIdPipe } from '../common/index.js';
import { DeleteLabelCommand } from './commands/delete-label.command.js';
import { SaveLabelCommand } from './commands/save-label.command.js';
import {
  CreateLabelRequest,
  LabelListResponse,
  LabelResponse,
  UpdateLabelRequest,
} from './dto/label.dto.js';
import { ListLabelsQuery } from './queries/list-labels.query.js';

type Account = { id: number };

/**
 * Account labels. Every member lists them; only administrators read one, create, change or
 * delete them (Chatwoot's LabelPolicy).
 */
@AccountScopedController('labels', 'Labels')
export class LabelsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({ summary: "The account's labels, by title" })
  @ApiOkResponse({ type: LabelListResponse })
  async list(@CurrentAccount() account: Account): Promise<LabelListResponse> {
    return { payload: await this.queries.execute(new ListLabelsQuery(account.id)) };
  }

  @Post()
  @BodyWrapper('label')
  @AdministratorsOnly()
  @ApiOperation({
    summary: 'Create a label',
    description:
      'Titles are stored in lower case and unique per account. Conversations and contacts may carry labels that are not account labels, as in Chatwoot.',
  })
  @ApiCreatedResponse({ type: LabelResponse })
  @ApiProblems(403, 409, 422)
  @ApiBody({
    type: CreateLabelRequest,
    examples: {
      billing: {
        summary: 'A label',
        value: {
          title: 'billing',
          description: 'Invoices and refunds',
          color: '#1f93ff',
          show_on_sidebar: true,
        },
      },
    },
  })
  async create(
    @CurrentAccount() account: Account,
    @CurrentAuth() auth: AuthContext,
    @Body() body: CreateLabelRequest,
  ): Promise<LabelResponse> {
    const { id } = await this.commands.execute(
      new SaveLabelCommand(
        account.id,
        null,
        {
          title: body.title,
          description: body.description,
          color: body.color,
          showOnSidebar: body.show_on_sidebar,
        },
        actorOf(auth),
      ),
    );
    return this.one(account.id, id);
  }

  @Get(':id')
  @AdministratorsOnly()
  @ApiOperation({ summary: 'One label' })
  @ApiOkResponse({ type: LabelResponse })
  @ApiProblems(400, 403)
  show(
    @CurrentAccount() account: Account,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<LabelResponse> {
    return this.one(account.id, id);
  }

  @Patch(':id')
  @BodyWrapper('label')
  @AdministratorsOnly()
  @ApiOperation({
    summary: 'Update a label',
    description:
      "A new title renames the label on every conversation and contact of the account carrying the old one, in the same transaction, with a `conversation_updated` event for each conversation changed (Chatwoot's rename job).",
  })
  @ApiOkResponse({ type: LabelResponse })
  @ApiProblems(400, 403, 409, 422)
  @ApiBody({
    type: UpdateLabelRequest,
    examples: {
      rename: { summary: 'Rename it', value: { title: 'invoices' } },
      colour: { summary: 'Recolour it', value: { color: '#ff6b6b', show_on_sidebar: false } },
    },
  })
  async update(
    @CurrentAccount() account: Account,
    @CurrentAuth() auth: AuthContext,
    @Param('id', ParseIdPipe) id: number,
    @Body() body: UpdateLabelRequest,
  ): Promise<LabelResponse> {
    await this.commands.execute(
      new SaveLabelCommand(
        account.id,
        id,
        {
          title: body.title,
          description: body.description,
          color: body.color,
          showOnSidebar: body.show_on_sidebar,
        },
        actorOf(auth),
      ),
    );
    return this.one(account.id, id);
  }

  @Delete(':id')
  @AdministratorsOnly()
  @ApiOperation({
    summary: 'Delete a label',
    description: 'Conversations and contacts keep carrying its title, as in Chatwoot.',
  })
  @ApiEmptyResponse('Deleted')
  @ApiProblems(400, 403)
  async remove(
    @CurrentAccount() account: Account,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<void> {
    await this.commands.execute(new DeleteLabelCommand(account.id, id));
  }

  private async one(accountId: number, labelId: number): Promise<LabelResponse> {
    const [label] = await this.queries.execute(new ListLabelsQuery(accountId, labelId));
    return label;
  }
}
