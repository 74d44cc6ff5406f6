import { Query } from '@nestjs/cqrs';

/**
 * The capacity of these inboxes' assignment policies (Chatwoot's max_assignment_limit), by inbox
 * id; inboxes without a limit are absent. Answered by the automation module (see
 * SetInboxAssignmentLimitCommand).
 */
export class InboxAssignmentLimitsQuery extends Query<Map<number, number>> {
  constructor(readonly inboxIds: number[]) {
    super();
  }
}
