import { NotFoundError, UnprocessableError } from '../common/index.js';

export class AgentBotNotFoundError extends NotFoundError {
  constructor(agentBotId: number) {
    super(
      'agent_bot_not_found',
      `No agent bot with id ${agentBotId} in this account. GET /api/v1/accounts/{account_id}/agent_bots lists them.`,
    );
  }
}

export class UnknownInProcessBotError extends UnprocessableError {
  constructor(name: string, known: string[]) {
    super(
      'unknown_in_process_bot',
      `bot_config.in_process names "${name}", which no extension registered. ${
        known.length > 0
          ? `Registered in-process bots: ${known.join(', ')}.`
          : 'No in-process bot is registered in this server.'
      }`,
      { field: 'bot_config.in_process' },
    );
  }
}
