import { Command } from '@nestjs/cqrs';
import type { RuleCondition } from '../conditions.js';
import type { RuleEvent } from '../rule-context.js';
import type { AssignmentStrategy } from '../choose-assignee.js';
import type { RuleAction } from '../entities/automation-rule.entity.js';

/** Evaluates the account's active rules for an event, runs the matching ones, logs each run. */
export class RunAutomationRulesCommand extends Command<{ evaluated: number }> {
  constructor(readonly event: RuleEvent) {
    super();
  }
}

export interface RuleFields {
  name?: string;
  description?: string | null;
  event_name?: string;
  conditions?: RuleCondition[];
  actions?: RuleAction[];
  active?: boolean;
}

/** Creates (ruleId null) or updates a rule, after validating every condition and action. */
export class SaveAutomationRuleCommand extends Command<{ id: number }> {
  constructor(
    readonly accountId: number,
    readonly ruleId: number | null,
    readonly fields: RuleFields,
  ) {
    super();
  }
}

export class DeleteAutomationRuleCommand extends Command<void> {
  constructor(
    readonly accountId: number,
    readonly ruleId: number,
  ) {
    super();
  }
}

export class CloneAutomationRuleCommand extends Command<{ id: number }> {
  constructor(
    readonly accountId: number,
    readonly ruleId: number,
  ) {
    super();
  }
}

export interface PolicyFields {
  enableAutoAssignment?: boolean;
  strategy?: AssignmentStrategy;
  capacityInInbox?: number | null;
  capacityOverall?: number | null;
  includeOfflineAgents?: boolean;
  keepAssigneeOnReopen?: boolean;
}

export class SaveAssignmentPolicyCommand extends Command<void> {
  constructor(
    readonly accountId: number,
    readonly inboxId: number,
    readonly fields: PolicyFields,
    readonly actor: { type: 'user'; id: number },
  ) {
    super();
  }
}
