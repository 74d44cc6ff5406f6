import { ConflictError, NotFoundError, UnprocessableError } from '../common/index.js';

export class ConversationNotFoundError extends NotFoundError {
  constructor(displayId: number) {
    super(
      'conversation_not_found',
      `No conversation ${displayId} here. Check the id (the per-account display id), and that you can see its inbox.`,
    );
  }
}

export class MessageNotFoundError extends NotFoundError {
  constructor(messageId: number) {
    super('message_not_found', `No message ${messageId} in this conversation.`);
  }
}

export class MessageSourceIdTakenError extends ConflictError {
  constructor(sourceId: string, displayId: number) {
    super(
      'source_id_taken',
      `A message with source_id "${sourceId.slice(0, 80)}" already exists in conversation ${displayId} of this inbox.`,
      { conversation_id: displayId },
    );
  }
}

export class AssigneeNotInInboxError extends UnprocessableError {
  constructor(userId: number) {
    super(
      'assignee_not_in_inbox',
      `User ${userId} is not an agent of this conversation's inbox; add them with POST /inbox_members first.`,
    );
  }
}

export class TeamNotFoundError extends UnprocessableError {
  constructor(teamId: number) {
    super('team_not_found', `No team ${teamId} in this account.`);
  }
}

export class AgentBotNotFoundError extends UnprocessableError {
  constructor(agentBotId: number) {
    super(
      'agent_bot_not_found',
      `No agent bot with id ${agentBotId} in this account. GET /api/v1/accounts/{account_id}/agent_bots lists them.`,
    );
  }
}

export class InvalidAssignmentError extends UnprocessableError {
  constructor(detail: string) {
    super('invalid_assignment', detail);
  }
}

export class InvalidStatusChangeError extends UnprocessableError {
  constructor(detail: string) {
    super('invalid_status_change', detail);
  }
}

export class ConversationResolvedError extends UnprocessableError {
  constructor(displayId: number) {
    super(
      'conversation_resolved',
      `Conversation ${displayId} is resolved and this inbox does not accept messages after resolution; open a new conversation.`,
    );
  }
}
