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
  LastRespondingAgentQuery,
  ToggleStatusCommand,
  UpdateConversationCommand,
} from '../conversations/index.js';
import type { ConversationStatus, Priority } from '../conversations/index.js';
import { OutboundClient } from '../outbound/index.js';
import { REDIS } from '../redis/index.js';
import { AutomationRegistry } from './automation-registry.js';
import type { ActionContext } from './automation-registry.js';
import type { RuleAction } from './entities/automation-rule.entity.js';
import { LAST_RESPONDING_AGENT, NIL, unassignsTeam } from './rule-validation.js';

const STATUS_OF_ACTION: Record<string, ConversationStatus> = {
  resolve_conversation: 'resolved',
  open_conversation: 'open',
  pending_conversation: 'pending',
};

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
      case 'assign_agent': {
        // Chatwoot: [] or an unknown last responder does nothing; "nil" unassigns.
        const assignee = await this.assigneeOf(id, params);
        if (assignee === undefined) return;
        return this.commands.execute(new AssignConversationCommand(id, assignee, undefined, actor));
      }
      case 'remove_assigned_agent':
        return this.commands.execute(new AssignConversationCommand(id, null, undefined, actor));
      case 'assign_team':
        return this.commands.execute(
          new AssignConversationCommand(
            id,
            undefined,
            unassignsTeam(params) ? null : Number(params[0]),
            actor,
          ),
        );
      case 'remove_assigned_team':
        return this.commands.execute(new AssignConversationCommand(id, undefined, null, actor));
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
      case 'pending_conversation':
      case 'change_status': {
        const status =
          action.action_name === 'change_status'
            ? (String(params[0]) as ConversationStatus)
            : STATUS_OF_ACTION[action.action_name];
        await this.commands.execute(new ToggleStatusCommand(id, status, null, actor));
        return;
      }
      case 'change_priority': {
        const priority =
          params[0] === null || params[0] === 'none' || params[0] === NIL
            ? null
            : (String(params[0]) as Priority);
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

  /** assign_agent's target: an id, null (unassign), or undefined (nothing to do). */
  private async assigneeOf(conversationId: number, params: unknown[]) {
    const [wanted] = params;
    if (wanted === undefined) return undefined;
    if (wanted === null || wanted === NIL) return null;
    if (wanted === LAST_RESPONDING_AGENT) {
      const agent = await this.queries.execute(new LastRespondingAgentQuery(conversationId));
      return agent ?? undefined;
    }
    return Number(wanted);
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
