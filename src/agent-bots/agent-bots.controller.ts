import { Body, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  getSchemaPath,
} from '@nestjs/swagger';
import { AccountScopedController, AdministratorsOnly, CurrentAccount } from '../accounts/index.js';
import { ApiEmptyResponse, ApiProblems, BodyWrapper, ParseIdPipe } from '../common/index.js';
import { FindInboxQuery } from '../inboxes/index.js';
import type { AgentBotFields } from './agent-bot.store.js';
import {
  DeleteAgentBotCommand,
  ResetAgentBotTokenCommand,
  SaveAgentBotCommand,
  SetInboxAgentBotCommand,
} from './commands/agent-bot.commands.js';
import {
  CreateAgentBotRequest,
  SetAgentBotRequest,
  UpdateAgentBotRequest,
} from './dto/agent-bot.requests.js';
import { AgentBotResponse } from './dto/agent-bot.responses.js';
import { GetAgentBotQuery, ListAgentBotsQuery } from './queries/agent-bot.queries.js';

type Account = { id: number };

function fieldsOf(body: CreateAgentBotRequest | UpdateAgentBotRequest): AgentBotFields {
  return {
    name: body.name,
    description: body.description,
    outgoingUrl: body.outgoing_url,
    botConfig: body.bot_config,
    avatarUrl: body.avatar_url,
  };
}

/**
 * Agent bots (Chatwoot's shapes): bots with their own access token that talk to contacts in the
 * inboxes they are attached to, receive those inboxes' events at their outgoing_url, and hand
 * conversations to people by opening them. Administrators only.
 */
@AdministratorsOnly()
@ApiExtraModels(AgentBotResponse)
@AccountScopedController('', 'Agent bots')
export class AgentBotsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('agent_bots')
  @ApiOperation({ summary: "The account's agent bots" })
  @ApiOkResponse({ type: [AgentBotResponse] })
  @ApiProblems(403)
  list(@CurrentAccount() account: Account) {
    return this.queries.execute(new ListAgentBotsQuery(account.id));
  }

  @Post('agent_bots')
  @BodyWrapper('agent_bot')
  @ApiOperation({
    summary: 'Create an agent bot',
    description:
      'The answer carries the access token (cvb_...) once. With the bot attached to an inbox (POST /inboxes/{id}/set_agent_bot), new conversations start pending and the bot gets their events at outgoing_url, signed with `secret`.',
  })
  @ApiCreatedResponse({ type: AgentBotResponse })
  @ApiBody({
    type: CreateAgentBotRequest,
    examples: {
      webhook: {
        summary: 'A bot reached over HTTP',
        value: {
          name: 'Order status bot',
          description: 'Answers where-is-my-order questions',
          outgoing_url: 'https://bots.example.com/conversa',
        },
      },
      inProcess: {
        summary: 'A bot registered in code (docs/extending.md)',
        value: { name: 'FAQ bot', bot_config: { in_process: 'faq' } },
      },
    },
  })
  @ApiProblems(403, 422)
  async create(@CurrentAccount() account: Account, @Body() body: CreateAgentBotRequest) {
    const { id, accessToken } = await this.commands.execute(
      new SaveAgentBotCommand(account.id, null, fieldsOf(body)),
    );
    const bot = await this.queries.execute(new GetAgentBotQuery(account.id, id));
    return { ...bot, access_token: accessToken };
  }

  @Get('agent_bots/:id')
  @ApiOperation({ summary: 'One agent bot' })
  @ApiOkResponse({ type: AgentBotResponse })
  @ApiProblems(400, 403)
  show(@CurrentAccount() account: Account, @Param('id', ParseIdPipe) id: number) {
    return this.queries.execute(new GetAgentBotQuery(account.id, id));
  }

  @Patch('agent_bots/:id')
  @BodyWrapper('agent_bot')
  @ApiOperation({
    summary: 'Update an agent bot',
    description:
      'A new outgoing_url (or in-process bot) starts with a clean slate: the endpoint is enabled again.',
  })
  @ApiOkResponse({ type: AgentBotResponse })
  @ApiBody({
    type: UpdateAgentBotRequest,
    examples: {
      url: { summary: 'A new URL', value: { outgoing_url: 'https://bots.example.com/v2' } },
      rename: { summary: 'Rename it', value: { name: 'Support bot' } },
    },
  })
  @ApiProblems(400, 403, 422)
  async update(
    @CurrentAccount() account: Account,
    @Param('id', ParseIdPipe) id: number,
    @Body() body: UpdateAgentBotRequest,
  ) {
    await this.commands.execute(new SaveAgentBotCommand(account.id, id, fieldsOf(body)));
    return this.queries.execute(new GetAgentBotQuery(account.id, id));
  }

  @Delete('agent_bots/:id')
  @ApiOperation({
    summary: 'Delete an agent bot',
    description:
      'Its token stops working; its inboxes and conversations are left without a bot (their messages keep it as sender).',
  })
  @ApiEmptyResponse('Deleted')
  @ApiProblems(400, 403)
  async remove(
    @CurrentAccount() account: Account,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<void> {
    await this.commands.execute(new DeleteAgentBotCommand(account.id, id));
  }

  @Post('agent_bots/:id/reset_access_token')
  @HttpCode(200)
  @ApiOperation({
    summary: "Replace the bot's access token",
    description: 'The answer carries the new token once; the previous one stops working at once.',
  })
  @ApiOkResponse({ type: AgentBotResponse })
  @ApiProblems(400, 403)
  async resetAccessToken(@CurrentAccount() account: Account, @Param('id', ParseIdPipe) id: number) {
    const { accessToken } = await this.commands.execute(
      new ResetAgentBotTokenCommand(account.id, id),
    );
    const bot = await this.queries.execute(new GetAgentBotQuery(account.id, id));
    return { ...bot, access_token: accessToken };
  }

  @Get('inboxes/:id/agent_bot')
  @ApiOperation({
    summary: "The inbox's agent bot",
    description: 'As Chatwoot: `{ "agent_bot": {} }` when the inbox has none.',
  })
  @ApiOkResponse({
    schema: {
      type: 'object',
      required: ['agent_bot'],
      properties: {
        agent_bot: {
          oneOf: [
            { $ref: getSchemaPath(AgentBotResponse) },
            { type: 'object', maxProperties: 0, description: 'No bot' },
          ],
        },
      },
    },
  })
  @ApiProblems(400, 403)
  async inboxAgentBot(@CurrentAccount() account: Account, @Param('id', ParseIdPipe) id: number) {
    const agentBotId = await this.inboxBot(account.id, id);
    return {
      agent_bot:
        agentBotId === null
          ? {}
          : await this.queries.execute(new GetAgentBotQuery(account.id, agentBotId)),
    };
  }

  @Post('inboxes/:id/set_agent_bot')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Attach an agent bot to the inbox (agent_bot: null detaches it)',
    description:
      "The inbox's new conversations then start pending, are not auto-assigned, and the bot gets their events; it hands a conversation to people by opening it.",
  })
  @ApiNoContentResponse({ description: 'Done (no body)' })
  @ApiBody({
    type: SetAgentBotRequest,
    examples: {
      attach: { summary: 'Attach bot 1', value: { agent_bot: 1 } },
      detach: { summary: 'Detach the bot', value: { agent_bot: null } },
    },
  })
  @ApiProblems(400, 403, 422)
  async setAgentBot(
    @CurrentAccount() account: Account,
    @Param('id', ParseIdPipe) id: number,
    @Body() body: SetAgentBotRequest,
  ): Promise<void> {
    await this.commands.execute(new SetInboxAgentBotCommand(account.id, id, body.agent_bot));
  }

  private async inboxBot(accountId: number, inboxId: number): Promise<number | null> {
    const inbox = await this.queries.execute(new FindInboxQuery({ accountId, inboxId }));
    return inbox.agentBotId;
  }
}
