import { Logger } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler, QueryBus } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import { ChangeFeed } from '../../database/index.js';
import { MessageCreatedEvent } from '../../conversations/index.js';
import { UnitOfWork } from '../../outbox/index.js';
import type { ChangeCache } from '../../database/index.js';
import { ValidationFailedError } from '../../common/index.js';
import { FindInboxQuery, SaveInboxCommand } from '../../inboxes/index.js';
import { OutboundPolicy } from '../../outbound/index.js';
import { ActionExecutor } from '../action-executor.service.js';
import { AutomationRegistry } from '../automation-registry.js';
import { RuleNotFoundError } from '../automation.errors.js';
import { evaluateConditions } from '../conditions.js';
import { customAttributeTypes } from '../custom-attribute-types.js';
import { AutomationRule } from '../entities/automation-rule.entity.js';
import { PolicyStore } from '../policy.store.js';
import { RuleStore } from '../rule.store.js';
import { contextOfEvent, ruleEventsOf } from '../rule-context.js';
import { validateRule } from '../rule-validation.js';
import {
  CloneAutomationRuleCommand,
  DeleteAutomationRuleCommand,
  RunAutomationRulesCommand,
  SaveAssignmentPolicyCommand,
  SaveAutomationRuleCommand,
} from './automation-rules.commands.js';

/** The change-feed topic every writer of automation rules announces. */
const RULES_TOPIC = 'automation_rules';

/** Runs `write` in a unit of work that announces a change of rules (caches drop them). */
function changeRules<T>(
  uow: UnitOfWork,
  write: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  return uow.run(async ({ manager, announce }) => {
    const written = await write(manager);
    await announce(RULES_TOPIC);
    return written;
  });
}

@CommandHandler(RunAutomationRulesCommand)
export class RunAutomationRulesHandler implements ICommandHandler<RunAutomationRulesCommand> {
  private readonly logger = new Logger(RunAutomationRulesHandler.name);

  private readonly activeRules: ChangeCache<AutomationRule[]>;

  constructor(
    private readonly rules: RuleStore,
    private readonly uow: UnitOfWork,
    private readonly registry: AutomationRegistry,
    private readonly executor: ActionExecutor,
    private readonly queries: QueryBus,
    changes: ChangeFeed,
  ) {
    this.activeRules = changes.cache(RULES_TOPIC);
  }

  async execute({ event }: RunAutomationRulesCommand) {
    // Loop safety: what automation caused never triggers rules, nor do activity messages.
    if (event.actor.type === 'automation_rule') return { evaluated: 0 };
    if (event instanceof MessageCreatedEvent && event.message.message_type === 'activity')
      return { evaluated: 0 };
    const events = ruleEventsOf(event);
    if (events.length === 0) return { evaluated: 0 };
    const { accountId, conversationId } = event;
    // This runs after every conversation and message event; rules change rarely, and every
    // change is announced on the change feed, which empties this cache in every process.
    const rules = await this.activeRules.get(`${accountId}:${events.join(',')}`, () =>
      this.rules.activeRules(accountId, events),
    );
    const context = contextOfEvent(event);
    const displayId = Number(context.conversation.id);
    const extra = this.registry.attributeResolvers();
    const customTypes = await customAttributeTypes(
      this.queries,
      accountId,
      rules.flatMap((rule) => rule.conditions),
      extra,
    );
    for (const rule of rules) {
      const { matched, reason } = evaluateConditions(rule.conditions, context, extra, customTypes);
      const done: string[] = [];
      const errors: { action: string; error: string }[] = [];
      if (matched) {
        for (const action of rule.actions) {
          try {
            await this.executor.run(action, {
              accountId,
              conversationId,
              displayId,
              ruleId: rule.id,
              event,
              state: context,
            });
            done.push(action.action_name);
          } catch (error) {
            errors.push({
              action: action.action_name,
              error: error instanceof Error ? error.message : String(error),
            });
          }
        }
      }
      await this.uow.run(({ manager }) =>
        this.rules.recordRun(manager, {
          ruleId: rule.id,
          eventName: rule.event_name,
          eventId: event.meta.eventId,
          conversationId: displayId,
          matched,
          reason,
          actions: done,
          errors,
        }),
      );
      if (errors.length > 0)
        this.logger.warn({ rule: rule.id, errors }, 'Automation rule actions failed');
    }
    return { evaluated: rules.length };
  }
}

@CommandHandler(SaveAutomationRuleCommand)
export class SaveAutomationRuleHandler implements ICommandHandler<SaveAutomationRuleCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly registry: AutomationRegistry,
    private readonly outbound: OutboundPolicy,
  ) {}

  async execute({ accountId, ruleId, fields }: SaveAutomationRuleCommand) {
    const errors = validateRule(
      fields,
      (name) => this.registry.action(name),
      this.registry.attributeResolvers(),
    );
    if (errors.length > 0) throw new ValidationFailedError(errors);
    // The URL policy of every outbound URL, at save time as for webhooks; sending checks again.
    for (const [index, action] of (fields.actions ?? []).entries()) {
      if (action.action_name === 'send_webhook_event') {
        await this.outbound.assertAllowed(
          String(action.action_params[0]),
          `actions[${index}].action_params[0]`,
        );
      }
    }
    return changeRules(this.uow, async (manager) => {
      const rules = manager.getRepository(AutomationRule);
      if (ruleId === null) {
        const saved = await rules.save({
          account_id: accountId,
          name: fields.name!,
          description: fields.description ?? null,
          event_name: fields.event_name!,
          conditions: fields.conditions ?? [],
          actions: fields.actions!,
          active: fields.active ?? true,
        });
        return { id: saved.id };
      }
      const rule = await rules.findOneBy({ id: ruleId, account_id: accountId });
      if (!rule) throw new RuleNotFoundError(ruleId);
      Object.assign(
        rule,
        Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
      );
      await rules.save(rule);
      return { id: rule.id };
    });
  }
}

@CommandHandler(DeleteAutomationRuleCommand)
export class DeleteAutomationRuleHandler implements ICommandHandler<DeleteAutomationRuleCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ accountId, ruleId }: DeleteAutomationRuleCommand): Promise<void> {
    await changeRules(this.uow, async (manager) => {
      const result = await manager
        .getRepository(AutomationRule)
        .delete({ id: ruleId, account_id: accountId });
      if (!result.affected) throw new RuleNotFoundError(ruleId);
    });
  }
}

@CommandHandler(CloneAutomationRuleCommand)
export class CloneAutomationRuleHandler implements ICommandHandler<CloneAutomationRuleCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ accountId, ruleId }: CloneAutomationRuleCommand) {
    return changeRules(this.uow, async (manager) => {
      const rules = manager.getRepository(AutomationRule);
      const rule = await rules.findOneBy({ id: ruleId, account_id: accountId });
      if (!rule) throw new RuleNotFoundError(ruleId);
      const { id: _id, created_at: _created, updated_at: _updated, ...copy } = rule;
      const saved = await rules.save({ ...copy, name: `${rule.name} (copy)`.slice(0, 255) });
      return { id: saved.id };
    });
  }
}

@CommandHandler(SaveAssignmentPolicyCommand)
export class SaveAssignmentPolicyHandler implements ICommandHandler<SaveAssignmentPolicyCommand> {
  constructor(
    private readonly policies: PolicyStore,
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
  ) {}

  async execute({ accountId, inboxId, fields, actor }: SaveAssignmentPolicyCommand): Promise<void> {
    await this.queries.execute(new FindInboxQuery({ accountId, inboxId }));
    if (fields.enableAutoAssignment !== undefined) {
      await this.commands.execute(
        new SaveInboxCommand(
          accountId,
          inboxId,
          { enableAutoAssignment: fields.enableAutoAssignment },
          actor,
        ),
      );
    }
    const policy: Parameters<PolicyStore['save']>[0] = { inbox_id: inboxId, account_id: accountId };
    if (fields.strategy !== undefined) policy.strategy = fields.strategy;
    if (fields.capacityInInbox !== undefined) policy.capacity_in_inbox = fields.capacityInInbox;
    if (fields.capacityOverall !== undefined) policy.capacity_overall = fields.capacityOverall;
    if (fields.includeOfflineAgents !== undefined)
      policy.include_offline_agents = fields.includeOfflineAgents;
    if (fields.keepAssigneeOnReopen !== undefined)
      policy.keep_assignee_on_reopen = fields.keepAssigneeOnReopen;
    await this.policies.save(policy);
  }
}
