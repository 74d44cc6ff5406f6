import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { CustomFilterNotFoundError } from '../custom-filters.errors.js';
import { CustomFilterResponse, toCustomFilterResponse } from '../dto/custom-filter.dto.js';
import { CustomFilter } from '../entities/custom-filter.entity.js';
import { ListCustomFiltersQuery } from './list-custom-filters.query.js';

@QueryHandler(ListCustomFiltersQuery)
export class ListCustomFiltersHandler implements IQueryHandler<ListCustomFiltersQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ owner, options }: ListCustomFiltersQuery): Promise<CustomFilterResponse[]> {
    const rows = await this.dataSource.getRepository(CustomFilter).find({
      where: {
        account_id: owner.accountId,
        user_id: owner.userId,
        ...(options.id === undefined ? {} : { id: options.id }),
        ...(options.filterType === undefined ? {} : { filter_type: options.filterType }),
      },
      order: { id: 'ASC' },
    });
    if (options.id !== undefined && rows.length === 0)
      throw new CustomFilterNotFoundError(options.id);
    return rows.map(toCustomFilterResponse);
  }
}
