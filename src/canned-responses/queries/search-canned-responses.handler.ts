import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { escapeLike } from '../../common/index.js';
import { CannedResponseNotFoundError } from '../canned-responses.errors.js';
import { CannedResponseResponse, toCannedResponse } from '../dto/canned-response.dto.js';
import { CannedResponse } from '../entities/canned-response.entity.js';
import { SearchCannedResponsesQuery } from './search-canned-responses.query.js';

@QueryHandler(SearchCannedResponsesQuery)
export class SearchCannedResponsesHandler implements IQueryHandler<SearchCannedResponsesQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({
    accountId,
    options,
  }: SearchCannedResponsesQuery): Promise<CannedResponseResponse[]> {
    const query = this.dataSource
      .getRepository(CannedResponse)
      .createQueryBuilder('r')
      .where('r.account_id = :accountId', { accountId });
    if (options.id !== undefined) query.andWhere('r.id = :id', { id: options.id });
    if (options.search) {
      const text = escapeLike(options.search);
      query
        .andWhere('(r.short_code ILIKE :anywhere OR r.content ILIKE :anywhere)')
        .setParameters({ prefix: `${text}%`, anywhere: `%${text}%` })
        .orderBy(
          `CASE WHEN r.short_code ILIKE :prefix THEN 1 WHEN r.short_code ILIKE :anywhere THEN 0.5
                WHEN r.content ILIKE :anywhere THEN 0.2 ELSE 0 END`,
          'DESC',
        );
    }
    query.addOrderBy('r.id', 'ASC');
    if (options.limit !== undefined) query.limit(options.limit);
    const rows = await query.getMany();
    if (options.id !== undefined && rows.length === 0)
      throw new CannedResponseNotFoundError(options.id);
    return rows.map(toCannedResponse);
  }
}
