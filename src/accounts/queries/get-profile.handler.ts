import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { AccountStore } from '../account.store.js';
import { ProfileAccount, ProfileResponse } from '../dto/responses.js';
import { User } from '../entities/user.entity.js';
import { GetProfileQuery } from './get-profile.query.js';

@QueryHandler(GetProfileQuery)
export class GetProfileHandler implements IQueryHandler<GetProfileQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: AccountStore,
  ) {}

  async execute({ userId }: GetProfileQuery): Promise<ProfileResponse> {
    const user = await this.dataSource.getRepository(User).findOneByOrFail({ id: userId });
    const accounts: ProfileAccount[] = (await this.store.profileAccounts(userId)).map((row) => ({
      ...row,
      availability_status: row.availability,
    }));
    return {
      id: user.id,
      name: user.name,
      display_name: user.display_name,
      available_name: user.display_name ?? user.name,
      email: user.email,
      confirmed: true,
      account_id: accounts[0]?.id ?? null,
      accounts,
    };
  }
}
