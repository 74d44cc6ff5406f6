import { Query } from '@nestjs/cqrs';
import type { AccountResponse } from '../dto/responses.js';

export class GetAccountQuery extends Query<AccountResponse> {
  constructor(readonly accountId: number) {
    super();
  }
}
