import { Command } from '@nestjs/cqrs';
import type { Role } from '../../accounts/index.js';
import type { FilterType } from '../entities/custom-filter.entity.js';

export interface CustomFilterOwner {
  accountId: number;
  userId: number;
  role: Role;
}

export interface CustomFilterFields {
  name?: string;
  filterType?: FilterType;
  query?: Record<string, unknown>;
}

/**
 * Saves a user's filter (id null: a new one). A conversation or contact filter's query is
 * checked by the filter endpoints' own validation and compiler, so a saved filter always runs.
 */
export class SaveCustomFilterCommand extends Command<{ id: number }> {
  constructor(
    readonly owner: CustomFilterOwner,
    readonly id: number | null,
    readonly fields: CustomFilterFields,
  ) {
    super();
  }
}

export class DeleteCustomFilterCommand extends Command<void> {
  constructor(
    readonly owner: CustomFilterOwner,
    readonly id: number,
  ) {
    super();
  }
}
