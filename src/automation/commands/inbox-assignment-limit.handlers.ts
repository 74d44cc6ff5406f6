import { CommandHandler, ICommandHandler, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { InboxAssignmentLimitsQuery, SetInboxAssignmentLimitCommand } from '../../inboxes/index.js';
import { AssignmentPolicy, DEFAULT_POLICY } from '../entities/assignment-policy.entity.js';

/** Chatwoot's inbox `auto_assignment_config.max_assignment_limit` is the policy's capacity. */
@CommandHandler(SetInboxAssignmentLimitCommand)
export class SetInboxAssignmentLimitHandler implements ICommandHandler<SetInboxAssignmentLimitCommand> {
  async execute({ tx, accountId, inboxId, limit }: SetInboxAssignmentLimitCommand) {
    const policies = tx.manager.getRepository(AssignmentPolicy);
    const current = await policies.findOneBy({ inbox_id: inboxId });
    if (limit === undefined) return current?.capacity_in_inbox ?? null;
    await policies.upsert(
      {
        ...DEFAULT_POLICY,
        ...current,
        inbox_id: inboxId,
        account_id: accountId,
        capacity_in_inbox: limit,
      },
      ['inbox_id'],
    );
    return limit;
  }
}

@QueryHandler(InboxAssignmentLimitsQuery)
export class InboxAssignmentLimitsHandler implements IQueryHandler<InboxAssignmentLimitsQuery> {
  constructor(
    @InjectRepository(AssignmentPolicy) private readonly policies: Repository<AssignmentPolicy>,
  ) {}

  async execute({ inboxIds }: InboxAssignmentLimitsQuery): Promise<Map<number, number>> {
    if (inboxIds.length === 0) return new Map();
    const rows = await this.policies.find({
      select: { inbox_id: true, capacity_in_inbox: true },
      where: { inbox_id: In(inboxIds) },
    });
    return new Map(
      rows.flatMap((row) =>
        row.capacity_in_inbox === null ? [] : [[row.inbox_id, row.capacity_in_inbox] as const],
      ),
    );
  }
}
