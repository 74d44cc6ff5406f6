import { Query } from '@nestjs/cqrs';
import type { CustomFilterOwner } from '../commands/custom-filter.commands.js';
import type { CustomFilterResponse } from '../dto/custom-filter.dto.js';
import type { FilterType } from '../entities/custom-filter.entity.js';

/**
 * The owner's saved filters of a type, oldest first, or the one with `id` (404 when the owner
 * has none with that id: other users' filters are invisible, as in Chatwoot).
 */
export class ListCustomFiltersQuery extends Query<CustomFilterResponse[]> {
  constructor(
    readonly owner: Pick<CustomFilterOwner, 'accountId' | 'userId'>,
    readonly options: { filterType?: FilterType; id?: number },
  ) {
    super();
  }
}
