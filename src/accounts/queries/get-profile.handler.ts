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
      status: 'active',
      active_at: null,
      permissions: [row.role],
    }));
    // Chatwoot's user view. No access_token: Conversa keeps only a hash of each token.
    return {
      id: user.id,
      name: user.name,
      display_name: user.display_name,
      available_name: user.display_name ?? user.name,
      email: user.email,
      confirmed: true,
      account_id: accounts[0]?.id ?? null,
      role: accounts[0]?.role ?? null,
      accounts,
      message_signature: user.message_signature,
      phone_number: user.phone_number,
      ui_settings: user.ui_settings,
      avatar_url: '',
      uid: user.email,
      provider: 'email',
      type: 'User',
    };
  }
}
