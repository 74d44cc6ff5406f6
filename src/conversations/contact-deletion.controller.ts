import { Delete, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation } from '@nestjs/swagger';
import {
  AccountScopedController,
  AdministratorsOnly,
  actorOf,
  CurrentAccount,
  CurrentAuth,
} from '../accounts/index.js';
import type { AuthContext } from '../accounts/index.js';
import { ApiEmptyResponse, ApiProblems, ParseIdPipe } from '../common/index.js';
import { DeleteContactCommand } from '../contacts/index.js';
import { deleteContactConversations } from './conversation.store.js';

/**
 * Chatwoot's contact deletion. Lives beside the conversations because it deletes them: the
 * contacts module deletes the contact and calls back here, in the same transaction, to delete
 * its conversations with their conversation_deleted events.
 */
@AccountScopedController('contacts', 'Contacts')
export class ContactDeletionController {
  constructor(private readonly commands: CommandBus) {}

  @Delete(':id')
  // Administrators only, as in Chatwoot: it also deletes conversations in inboxes an agent may not see.
  @AdministratorsOnly()
  @ApiOperation({
    summary: 'Delete a contact and its conversations (administrators only)',
    description:
      'Sends `contact_deleted`, and `conversation_deleted` for each of its conversations (their messages go with them).',
  })
  @ApiEmptyResponse('Deleted')
  @ApiProblems(400, 403)
  async remove(
    @CurrentAccount() account: { id: number },
    @CurrentAuth() auth: AuthContext,
    @Param('id', ParseIdPipe) id: number,
  ) {
    await this.commands.execute(
      new DeleteContactCommand(account.id, id, actorOf(auth), deleteContactConversations),
    );
  }
}
