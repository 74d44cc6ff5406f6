import { NotFoundError, UnprocessableError } from '../common/index.js';

export class CustomFilterNotFoundError extends NotFoundError {
  constructor(id: number) {
    super('custom_filter_not_found', `You have no custom filter with id ${id} in this account.`);
  }
}

export class CustomFilterLimitError extends UnprocessableError {
  constructor(limit: number) {
    super(
      'custom_filter_limit',
      `You already have ${limit} custom filters in this account, the most there may be. Delete one you no longer use first.`,
    );
  }
}
