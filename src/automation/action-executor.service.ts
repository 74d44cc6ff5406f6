import { Inject, Injectable } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ConfigService } from '@nestjs/config';
import type { Redis } from 'ioredis';
import type { Actor } from '../common/index.js';
import type { Environment } from '../config/index.js';
import {
  AssignConversationCommand,
  CreateMessageCommand,
  GetConversationQuery,
  ToggleStatusCommand,
  UpdateConversationCommand,
} from '../conversations/index.js';
import type { Priority } from '../conversations/index.js';
import { OutboundClient } from '../outbound/index.js';
import { REDIS } from '../redis/index.js';
import { AutomationRegistry } from './automation-registry.js';
import type { ActionContext } from './automation-registry.js';
import type { RuleAction } from './entities/automation-rule.entity.js';

/** Runs one action of a rule; throws with a readable message when it cannot. */
@Injectable()
export class ActionExecutor {
  private readonly messagesPerMinute: number;

  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly registry: AutomationRegistry,
    private readonly outbound: OutboundClient,
    @Inject(REDIS) private readonly redis: Redis,
    config: ConfigService<Environment, true>,
  ) {
    this.messagesPerMinute = config.get('AUTOMATION_MESSAGES_PER_MINUTE', { infer: true });
  }

  async run(
    action: RuleAction,
    context: Omit<ActionContext, 'params' | 'commands' | 'queries'>,
  ): Promise<void> {
    const params = action.action_params;
    const actor: Actor = { type: 'automation_rule', id: context.ruleId };
    const id = context.conversationId;
    switch (action.action_name) {
      case 'assign_agent':
        return this.commands.execute(
          new AssignConversationCommand(
            id,
            params[0] === null ? null : Number(params[0]),
            undefined,
            actor,
          ),
        );
      case 'assign_team':
        return this.commands.execute(
          new AssignConversationCommand(
            id,
            undefined,
            params[0] === null ? null : Number(params[0]),
            actor,
          ),
        );
      case 'add_label':
      case 'remove_label': {
        const { labels } = await this.queries.execute(new GetConversationQuery(id));
        const named = params.map((label) => String(label).trim());
        const next =
          action.action_name === 'add_label'
            ? [...labels, ...named]
            : labels.filter((label) => !named.includes(label));
        return this.commands.execute(new UpdateConversationCommand(id, { labels: next }, actor));
      }
      case 'send_message':
      case 'add_private_note':
        await this.withinCeiling(id);
        await this.commands.execute(
          new CreateMessageCommand(
            id,
            {
              messageType: 'outgoing',
              content: String(params[0]),
              private: action.action_name === 'add_private_note',
              contentAttributes: { automation_rule_id: context.ruleId },
            },
            actor,
          ),
        );
        return;
      case 'send_webhook_event': {
        const body = JSON.stringify(
          context.event ? context.event.body() : { event: 'automation_dry_run' },
        );
        const response = await this.outbound.post(String(params[0]), body, {
          'content-type': 'application/json',
          'user-agent': 'Conversa-Automation/0.1.0',
        });
        if (response.status < 200 || response.status >= 300)
          throw new Error(`the URL answered ${response.status}`);
        return;
      }
      case 'mute_conversation':
        return this.commands.execute(new UpdateConversationCommand(id, { muted: true }, actor));
      case 'snooze_conversation': {
        const until = params.length ? new Date(Date.now() + Number(params[0]) * 60_000) : null;
        await this.commands.execute(new ToggleStatusCommand(id, 'snoozed', until, actor));
        return;
      }
      case 'resolve_conversation':
      case 'open_conversation':
        await this.commands.execute(
          new ToggleStatusCommand(
            id,
            action.action_name === 'resolve_conversation' ? 'resolved' : 'open',
            null,
            actor,
          ),
        );
        return;
      case 'change_priority': {
        const priority =
          params[0] === null || params[0] === 'none' ? null : (String(params[0]) as Priority);
        return this.commands.execute(new UpdateConversationCommand(id, { priority }, actor));
      }
      case 'set_custom_attribute': {
        const { custom_attributes } = await this.queries.execute(new GetConversationQuery(id));
        const next = { ...custom_attributes, [String(params[0])]: params[1] };
        return this.commands.execute(
          new UpdateConversationCommand(id, { customAttributes: next }, actor),
        );
      }
      default: {
        const custom = this.registry.action(action.action_name);
        if (!custom) throw new Error(`the action ${action.action_name} is no longer registered`);
        return custom.run({ ...context, params, commands: this.commands, queries: this.queries });
      }
    }
  }

  /** Automated messages per conversation per minute are capped, so rules cannot flood. */
  private async withinCeiling(conversationId: number): Promise<void> {
    const key = `automation:messages:${conversationId}:${Math.floor(Date.now() / 60_000)}`;
    const count = await this.redis.incr(key);
    if (count === 1) await this.redis.expire(key, 120);
    if (count > this.messagesPerMinute) {
      throw new Error(
        `the ceiling of ${this.messagesPerMinute} automated messages per minute for this conversation was reached`,
      );
    }
  }
}
