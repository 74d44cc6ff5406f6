import { Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AccountScopedController, CurrentAccount, CurrentAuth } from '../accounts/index.js';
import type { AuthContext, Role } from '../accounts/index.js';
import { ApiProblems, ParseIdPipe } from '../common/index.js';
import { GetContactQuery } from '../contacts/index.js';
import { ConversationsPayloadDto } from './dto/conversation.responses.js';
import { ListConversationsQuery } from './queries/list-conversations.query.js';

@AccountScopedController('contacts/:id/conversations', 'Contacts')
export class ContactConversationsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: "The contact's conversations (in inboxes you can see), newest activity first",
  })
  @ApiOkResponse({ type: ConversationsPayloadDto })
  @ApiProblems(400)
  async list(
    @CurrentAccount() account: { id: number; role: Role },
    @CurrentAuth() auth: AuthContext,
    @Param('id', ParseIdPipe) id: number,
  ) {
    await this.queries.execute(new GetContactQuery(account.id, id));
    const { payload } = await this.queries.execute(
      new ListConversationsQuery(
        account.id,
        { userId: auth.userId, role: account.role },
        { contactId: id, status: 'all' },
      ),
    );
    return { payload };
  }
}
