import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { AccountResponse } from '../dto/responses.js';
import { Account } from '../entities/account.entity.js';
import { GetAccountQuery } from './get-account.query.js';

@QueryHandler(GetAccountQuery)
export class GetAccountHandler implements IQueryHandler<GetAccountQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ accountId }: GetAccountQuery): Promise<AccountResponse> {
    const account = await this.dataSource.getRepository(Account).findOneByOrFail({ id: accountId });
    // Chatwoot's account view; what Conversa has no counterpart for is constant (documented).
    return {
      id: account.id,
      name: account.name,
      locale: account.locale,
      domain: account.domain,
      support_email: account.support_email,
      status: 'active',
      created_at: account.created_at,
      cache_keys: {},
      features: {},
      settings: account.settings,
      custom_attributes: account.custom_attributes,
      latest_chatwoot_version: null,
      subscribed_features: [],
    };
  }
}
