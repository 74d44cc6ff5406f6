import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { FindConversationQuery, GetConversationQuery } from '../../conversations/index.js';
import { FindInboxQuery } from '../../inboxes/index.js';
import { AutomationRegistry } from '../automation-registry.js';
import { RuleNotFoundError } from '../automation.errors.js';
import { evaluateConditions } from '../conditions.js';
import { customAttributeTypes } from '../custom-attribute-types.js';
import { AutomationRule } from '../entities/automation-rule.entity.js';
import { PolicyStore } from '../policy.store.js';
import { RuleStore } from '../rule.store.js';
import { contextOfConversation } from '../rule-context.js';
import {
  DryRunRuleQuery,
  GetAssignmentPolicyQuery,
  ListRuleRunsQuery,
  ListRulesQuery,
} from './automation.queries.js';
import type { RuleView } from './automation.queries.js';

function toView(rule: AutomationRule): RuleView {
  return {
    id: rule.id,
    account_id: rule.account_id,
    name: rule.name,
    description: rule.description,
    event_name: rule.event_name,
    conditions: rule.conditions,
    actions: rule.actions,
    active: rule.active,
    created_on: Math.floor(new Date(rule.created_at).getTime() / 1000),
    created_at: new Date(rule.created_at).toISOString(),
  };
}

@QueryHandler(ListRulesQuery)
export class ListRulesHandler implements IQueryHandler<ListRulesQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ accountId, ruleId }: ListRulesQuery) {
    const rules = await this.dataSource.getRepository(AutomationRule).find({
      where: { account_id: accountId, ...(ruleId ? { id: ruleId } : {}) },
      order: { id: 'ASC' },
    });
    if (ruleId && rules.length === 0) throw new RuleNotFoundError(ruleId);
    return rules.map(toView);
  }
}

@QueryHandler(ListRuleRunsQuery)
export class ListRuleRunsHandler implements IQueryHandler<ListRuleRunsQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rules: RuleStore,
  ) {}

  async execute({ accountId, ruleId, before, limit }: ListRuleRunsQuery) {
    const exists = await this.dataSource
      .getRepository(AutomationRule)
      .existsBy({ id: ruleId, account_id: accountId });
    if (!exists) throw new RuleNotFoundError(ruleId);
    const rows = await this.rules.runs(ruleId, before, limit);
    return {
      payload: rows.slice(0, limit).map((row) => ({
        ...row,
        id: Number(row.id),
        created_at: new Date(row.created_at).toISOString(),
      })),
      meta: { has_more: rows.length > limit },
    };
  }
}

@QueryHandler(DryRunRuleQuery)
export class DryRunRuleHandler implements IQueryHandler<DryRunRuleQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queries: QueryBus,
    private readonly registry: AutomationRegistry,
  ) {}

  async execute({ accountId, ruleId, displayId }: DryRunRuleQuery) {
    const rule = await this.dataSource
      .getRepository(AutomationRule)
      .findOneBy({ id: ruleId, account_id: accountId });
    if (!rule) throw new RuleNotFoundError(ruleId);
    const conversation = await this.queries.execute(
      new FindConversationQuery({ accountId, displayId }),
    );
    const view = await this.queries.execute(new GetConversationQuery(conversation.id));
    const extra = this.registry.attributeResolvers();
    const { matched, reason } = evaluateConditions(
      rule.conditions,
      contextOfConversation(view),
      extra,
      await customAttributeTypes(this.queries, accountId, rule.conditions, extra),
    );
    return { matched, reason, actions: matched ? rule.actions : [] };
  }
}

@QueryHandler(GetAssignmentPolicyQuery)
export class GetAssignmentPolicyHandler implements IQueryHandler<GetAssignmentPolicyQuery> {
  constructor(
    private readonly policies: PolicyStore,
    private readonly queries: QueryBus,
  ) {}

  async execute({ accountId, inboxId }: GetAssignmentPolicyQuery) {
    const inbox = await this.queries.execute(new FindInboxQuery({ accountId, inboxId }));
    const policy = await this.policies.get(accountId, inboxId);
    return {
      inbox_id: inboxId,
      enable_auto_assignment: inbox.enableAutoAssignment,
      strategy: policy.strategy,
      capacity_in_inbox: policy.capacity_in_inbox,
      capacity_overall: policy.capacity_overall,
      include_offline_agents: policy.include_offline_agents,
      keep_assignee_on_reopen: policy.keep_assignee_on_reopen,
    };
  }
}
