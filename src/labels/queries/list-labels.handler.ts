import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { LabelResponse, toLabelResponse } from '../dto/label.dto.js';
import { Label } from '../entities/label.entity.js';
import { LabelNotFoundError } from '../labels.errors.js';
import { ListLabelsQuery } from './list-labels.query.js';

@QueryHandler(ListLabelsQuery)
export class ListLabelsHandler implements IQueryHandler<ListLabelsQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ accountId, labelId }: ListLabelsQuery): Promise<LabelResponse[]> {
    const rows = await this.dataSource.getRepository(Label).find({
      where: { account_id: accountId, ...(labelId === undefined ? {} : { id: labelId }) },
      order: { title: 'ASC' },
    });
    if (labelId !== undefined && rows.length === 0) throw new LabelNotFoundError(labelId);
    return rows.map(toLabelResponse);
  }
}
