import { Body, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiOkResponse, ApiOperation, ApiProperty } from '@nestjs/swagger';
import {
  AccountScopedController,
  actorOf,
  CurrentAccount,
  CurrentAuth,
} from '../accounts/index.js';
import type { AuthContext } from '../accounts/index.js';
import { ApiProblems, LabelsRequest, ParseIdPipe } from '../common/index.js';
import { SetContactLabelsCommand } from './commands/set-contact-labels.command.js';
import { GetContactQuery } from './queries/get-contact.query.js';

class ContactLabelsAnswer {
  @ApiProperty({ type: [String], example: ['vip', 'billing'] }) payload: string[];
}

/** A contact's labels (Chatwoot's contact tags): a set, replaced as a whole like a conversation's. */
@AccountScopedController('contacts', 'Contact labels')
export class ContactLabelsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get(':id/labels')
  @ApiOperation({ summary: "The contact's labels" })
  @ApiOkResponse({ type: ContactLabelsAnswer })
  @ApiProblems(400)
  async list(
    @CurrentAccount() account: { id: number },
    @Param('id', ParseIdPipe) id: number,
  ): Promise<ContactLabelsAnswer> {
    const { labels } = await this.queries.execute(new GetContactQuery(account.id, id));
    return { payload: labels };
  }

  @Post(':id/labels')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Replace the labels',
    description:
      'The set becomes exactly `labels` (duplicates dropped). Labels need not exist as account labels, as in Chatwoot.',
  })
  @ApiOkResponse({ type: ContactLabelsAnswer })
  @ApiProblems(400, 422)
  @ApiBody({
    type: LabelsRequest,
    examples: { two: { summary: 'Two labels', value: { labels: ['vip', 'billing'] } } },
  })
  async replace(
    @CurrentAccount() account: { id: number },
    @CurrentAuth() auth: AuthContext,
    @Param('id', ParseIdPipe) id: number,
    @Body() body: LabelsRequest,
  ): Promise<ContactLabelsAnswer> {
    const { labels } = await this.commands.execute(
      new SetContactLabelsCommand(
        account.id,
        id,
        body.labels.map((label) => label.trim()),
        actorOf(auth),
      ),
    );
    return { payload: labels };
  }
}
