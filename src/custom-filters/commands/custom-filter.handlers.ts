import { CommandHandler, ICommandHandler, QueryBus } from '@nestjs/cqrs';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { FilterRequest, validateAs, ValidationFailedError } from '../../common/index.js';
import { ListContactsQuery } from '../../contacts/index.js';
import { ListConversationsQuery } from '../../conversations/index.js';
import { advisoryLock } from '../../database/index.js';
import { UnitOfWork } from '../../outbox/index.js';
import { CustomFilterLimitError, CustomFilterNotFoundError } from '../custom-filters.errors.js';
import { CustomFilter } from '../entities/custom-filter.entity.js';
import type { FilterType } from '../entities/custom-filter.entity.js';
import type { CustomFilterResponse } from '../dto/custom-filter.dto.js';
import { ListCustomFiltersQuery } from '../queries/list-custom-filters.query.js';
import {
  CustomFilterOwner,
  DeleteCustomFilterCommand,
  SaveCustomFilterCommand,
} from './custom-filter.commands.js';

/** Chatwoot's limit of saved filters per user and account. */
export const MAX_CUSTOM_FILTERS = 50;

/** A report filter's query is kept as sent, up to this many characters of JSON. */
const MAX_REPORT_QUERY = 10_000;

@CommandHandler(SaveCustomFilterCommand)
export class SaveCustomFilterHandler implements ICommandHandler<SaveCustomFilterCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly queries: QueryBus,
  ) {}

  async execute({ owner, id, fields }: SaveCustomFilterCommand): Promise<{ id: number }> {
    const current = id === null ? null : await this.find(owner, id);
    const filterType = fields.filterType ?? current?.filter_type ?? 'conversation';
    const query = fields.query ?? current?.query;
    if (query && (fields.query !== undefined || fields.filterType !== undefined)) {
      await this.check(owner, filterType, query);
    }
    return this.uow.run(async ({ manager }) => {
      const filters = manager.getRepository(CustomFilter);
      const values: Partial<CustomFilter> = { filter_type: filterType };
      if (fields.name !== undefined) values.name = fields.name;
      if (fields.query !== undefined) values.query = fields.query;
      if (id === null) {
        await advisoryLock(manager, `custom-filters:${owner.accountId}:${owner.userId}`);
        const count = await filters.countBy({ account_id: owner.accountId, user_id: owner.userId });
        if (count >= MAX_CUSTOM_FILTERS) throw new CustomFilterLimitError(MAX_CUSTOM_FILTERS);
        const created = await filters.save({
          ...values,
          account_id: owner.accountId,
          user_id: owner.userId,
        });
        return { id: created.id };
      }
      const result = await filters.update(
        { id, account_id: owner.accountId, user_id: owner.userId },
        // TypeORM's update type has no room for a jsonb map of unknowns.
        values as QueryDeepPartialEntity<CustomFilter>,
      );
      if (!result.affected) throw new CustomFilterNotFoundError(id);
      return { id };
    });
  }

  private async find(owner: CustomFilterOwner, id: number): Promise<CustomFilterResponse> {
    const [row] = await this.queries.execute(new ListCustomFiltersQuery(owner, { id }));
    return row;
  }

  /**
   * Checks the query as the filter endpoint of its type would and compiles it by running a
   * count through that endpoint's query, so an invalid condition is a 422 now, not when run.
   */
  private async check(
    owner: CustomFilterOwner,
    filterType: FilterType,
    query: Record<string, unknown>,
  ): Promise<void> {
    // No conditions (Chatwoot's default `{}`): nothing to check; it stands for everything.
    if (Object.keys(query).length === 0) return;
    if (filterType === 'report') {
      if (JSON.stringify(query).length > MAX_REPORT_QUERY) {
        throw new ValidationFailedError([
          { field: 'query', messages: [`must be at most ${MAX_REPORT_QUERY} characters as JSON`] },
        ]);
      }
      return;
    }
    const { payload } = await validateAs(FilterRequest, query, 'query');
    if (filterType === 'contact') {
      await this.queries.execute(
        new ListContactsQuery(owner.accountId, { page: 1, filter: payload }),
      );
    } else {
      await this.queries.execute(
        new ListConversationsQuery(
          owner.accountId,
          { userId: owner.userId, role: owner.role },
          { conditions: payload, countsOnly: true },
        ),
      );
    }
  }
}

@CommandHandler(DeleteCustomFilterCommand)
export class DeleteCustomFilterHandler implements ICommandHandler<DeleteCustomFilterCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ owner, id }: DeleteCustomFilterCommand): Promise<void> {
    const result = await this.uow.run(({ manager }) =>
      manager
        .getRepository(CustomFilter)
        .delete({ id, account_id: owner.accountId, user_id: owner.userId }),
    );
    if (!result.affected) throw new CustomFilterNotFoundError(id);
  }
}
