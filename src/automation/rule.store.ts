import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { PreparedQuery } from '../database/index.js';
import type { AutomationRule } from './entities/automation-rule.entity.js';
import type { RunView } from './queries/automation.queries.js';

const ACTIVE_RULES = new PreparedQuery<AutomationRule>(
  'active_automation_rules',
  `SELECT * FROM automation_rules WHERE account_id = $1 AND event_name = ANY($2::text[]) AND active
    ORDER BY id`,
);

/** A stored run: RunView as the database returns it (bigint id as a string, a Date). */
export type RunRow = Omit<RunView, 'id' | 'created_at'> & { id: string; created_at: Date };

/** One evaluation of a rule, as the run log keeps it. */
export interface RuleRun {
  ruleId: number;
  eventName: string;
  eventId: string;
  conversationId: number;
  matched: boolean;
  reason: string;
  actions: string[];
  errors: { action: string; error: string }[];
}

/**
 * The automation module's hand-written SQL, behind named methods (repository calls stay in the
 * handlers; assignment policies have their PolicyStore).
 */
@Injectable()
export class RuleStore {
  constructor(private readonly dataSource: DataSource) {}

  /** The account's active rules for these events (a prepared statement: runs after every event). */
  activeRules(accountId: number, events: string[]): Promise<AutomationRule[]> {
    return ACTIVE_RULES.rows(this.dataSource, [accountId, events]);
  }

  async recordRun(manager: EntityManager, run: RuleRun): Promise<void> {
    await manager.query(
      `INSERT INTO automation_rule_runs (rule_id, event_name, event_id, conversation_id, matched, reason, actions, errors)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        run.ruleId,
        run.eventName,
        run.eventId,
        run.conversationId,
        run.matched,
        run.reason,
        JSON.stringify(run.actions),
        JSON.stringify(run.errors),
      ],
    );
  }

  /** A page of a rule's runs, newest first, before the run id `before`; `limit + 1` rows tell more. */
  runs(ruleId: number, before: number | undefined, limit: number): Promise<RunRow[]> {
    return this.dataSource.query(
      `SELECT id, event_name, event_id, conversation_id, matched, reason, actions, errors, created_at
         FROM automation_rule_runs WHERE rule_id = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
      [ruleId, before ?? null, limit + 1],
    );
  }
}
