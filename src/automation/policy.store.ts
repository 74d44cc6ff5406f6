import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { UnitOfWork } from '../outbox/index.js';
import { AssignmentPolicy, DEFAULT_POLICY } from './entities/assignment-policy.entity.js';

@Injectable()
export class PolicyStore {
  constructor(
    @InjectRepository(AssignmentPolicy) private readonly policies: Repository<AssignmentPolicy>,
    private readonly uow: UnitOfWork,
  ) {}

  /** The inbox's policy, or the defaults (round robin, no capacity, online agents only). */
  async get(accountId: number, inboxId: number): Promise<AssignmentPolicy> {
    const found = await this.policies.findOneBy({ inbox_id: inboxId });
    return (
      found ?? {
        ...DEFAULT_POLICY,
        inbox_id: inboxId,
        account_id: accountId,
        updated_at: new Date(),
      }
    );
  }

  async save(
    policy: Partial<AssignmentPolicy> & { inbox_id: number; account_id: number },
  ): Promise<void> {
    await this.uow.run(async ({ manager }) => {
      const policies = manager.getRepository(AssignmentPolicy);
      await policies.upsert(
        {
          ...DEFAULT_POLICY,
          ...(await policies.findOneBy({ inbox_id: policy.inbox_id })),
          ...policy,
        },
        ['inbox_id'],
      );
    });
  }
}
