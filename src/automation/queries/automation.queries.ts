import { Query } from '@nestjs/cqrs';

export interface RuleView {
  id: number;
  account_id: number;
  name: string;
  description: string | null;
  event_name: string;
  conditions: unknown[];
  actions: unknown[];
  active: boolean;
  created_on: number;
  created_at: string;
}

export class ListRulesQuery extends Query<RuleView[]> {
  constructor(
    readonly accountId: number,
    readonly ruleId?: number,
  ) {
    super();
  }
}

export interface RunView {
  id: number;
  event_name: string;
  event_id: string | null;
  conversation_id: number | null;
  matched: boolean;
  reason: string;
  actions: unknown[];
  errors: unknown[];
  created_at: string;
}

export class ListRuleRunsQuery extends Query<{ payload: RunView[]; meta: { has_more: boolean } }> {
  constructor(
    readonly accountId: number,
    readonly ruleId: number,
    readonly before: number | undefined,
    readonly limit: number,
  ) {
    super();
  }
}

/** Whether a rule would match a conversation now and what it would do; changes nothing. */
export class DryRunRuleQuery extends Query<{
  matched: boolean;
  reason: string;
  actions: unknown[];
}> {
  constructor(
    readonly accountId: number,
    readonly ruleId: number,
    readonly displayId: number,
  ) {
    super();
  }
}

export class GetAssignmentPolicyQuery extends Query<Record<string, unknown>> {
  constructor(
    readonly accountId: number,
    readonly inboxId: number,
  ) {
    super();
  }
}
