import type { EntityManager } from 'typeorm';
import type { AccountStore } from '../account.store.js';
import { LastAdministratorError } from '../accounts.errors.js';
import { AccountUser } from '../entities/account-user.entity.js';

/**
 * Throws unless the account keeps another administrator when `userId` stops being one.
 * Takes a per-account lock so two concurrent demotions cannot both pass the check.
 */
export async function assertAnotherAdministrator(
  store: AccountStore,
  manager: EntityManager,
  accountId: number,
  userId: number,
): Promise<void> {
  await store.lock(manager, `administrators:${accountId}`);
  const others = await manager
    .getRepository(AccountUser)
    .createQueryBuilder('membership')
    .where('membership.account_id = :accountId', { accountId })
    .andWhere('membership.role = :role', { role: 'administrator' })
    .andWhere('membership.user_id <> :userId', { userId })
    .getCount();
  if (others === 0) throw new LastAdministratorError();
}
