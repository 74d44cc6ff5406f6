import { NotFoundError } from '../common/index.js';

export class RuleNotFoundError extends NotFoundError {
  constructor(ruleId: number) {
    super('automation_rule_not_found', `No automation rule ${ruleId} in this account.`);
  }
}
