import { Query } from '@nestjs/cqrs';
import type { LabelResponse } from '../dto/label.dto.js';

/** The account's labels by title, or the one with `labelId` (404 when there is none). */
export class ListLabelsQuery extends Query<LabelResponse[]> {
  constructor(
    readonly accountId: number,
    readonly labelId?: number,
  ) {
    super();
  }
}
