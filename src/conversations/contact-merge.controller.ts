import { Body, HttpCode, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiOkResponse, ApiOperation, ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import {
  AccountScopedController,
  actorOf,
  CurrentAccount,
  CurrentAuth,
} from '../accounts/index.js';
import type { AuthContext } from '../accounts/index.js';
import { ApiProblems, MAX_ID } from '../common/index.js';
import { ContactResponse, GetContactQuery, MergeContactsCommand } from '../contacts/index.js';
import { moveContactConversations } from './conversation.store.js';

export class ContactMergeRequest {
  @ApiProperty({ description: 'The contact that remains and receives everything', example: 1 })
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  base_contact_id: number;

  @ApiProperty({
    description: 'The duplicate: merged into the base contact, then deleted',
    example: 2,
  })
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  mergee_contact_id: number;
}

/**
 * Chatwoot's contact merge. Lives beside the conversations because it moves them: the contacts
 * module merges the contacts and calls back here to move the conversations in the same
 * transaction.
 */
@AccountScopedController('actions', 'Contacts')
export class ContactMergeController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('contact_merge')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Merge a duplicate contact into another',
    description:
      "The mergee's conversations (and its messages as their sender), contact inboxes and labels move to the base contact; " +
      "the base contact keeps its own name, email, phone number and identifier and takes the mergee's where it has none; " +
      'custom and additional attributes are deep-merged with the base contact winning. The mergee is then deleted. ' +
      'One unit of work, one `contact_merged` event (the base contact, with the deleted one as `mergee`). Answers the base contact.',
  })
  @ApiOkResponse({ type: ContactResponse })
  @ApiProblems(404, 422)
  @ApiBody({
    type: ContactMergeRequest,
    examples: {
      merge: {
        summary: 'Merge contact 2 into 1',
        value: { base_contact_id: 1, mergee_contact_id: 2 },
      },
    },
  })
  async merge(
    @CurrentAccount() account: { id: number },
    @CurrentAuth() auth: AuthContext,
    @Body() body: ContactMergeRequest,
  ): Promise<ContactResponse> {
    const { id } = await this.commands.execute(
      new MergeContactsCommand(
        account.id,
        body.base_contact_id,
        body.mergee_contact_id,
        actorOf(auth),
        moveContactConversations,
      ),
    );
    const { contact } = await this.queries.execute(new GetContactQuery(account.id, id));
    return contact;
  }
}
