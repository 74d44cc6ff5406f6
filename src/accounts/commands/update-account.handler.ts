import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../outbox/index.js';
import { Account } from '../entities/account.entity.js';
import { AccountUpdatedEvent } from '../events/account-updated.event.js';
import { UpdateAccountCommand } from './update-account.command.js';

/** Where Chatwoot keeps each field it takes flat: in `settings` or in `custom_attributes`. */
const SETTINGS = ['auto_resolve_after', 'auto_resolve_message', 'auto_resolve_ignore_waiting'];
const CUSTOM_ATTRIBUTES = ['industry', 'company_size', 'timezone'];
const COLUMNS = ['name', 'locale', 'domain', 'support_email'] as const;

/** `map` with the fields of `changes` among `keys` applied; null removes one. */
function merged(
  map: Record<string, unknown>,
  keys: string[],
  changes: Record<string, unknown>,
): Record<string, unknown> {
  const result = { ...map };
  for (const key of keys) {
    if (changes[key] === null) delete result[key];
    else if (changes[key] !== undefined) result[key] = changes[key];
  }
  return result;
}

@CommandHandler(UpdateAccountCommand)
export class UpdateAccountHandler implements ICommandHandler<UpdateAccountCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ accountId, changes, actor }: UpdateAccountCommand): Promise<void> {
    const sent = changes as unknown as Record<string, unknown>;
    const changed = Object.keys(sent).filter((key) => sent[key] !== undefined);
    if (changed.length === 0) return;
    await this.uow.run(async ({ manager, publish }) => {
      const accounts = manager.getRepository(Account);
      const account = await accounts.findOneOrFail({
        where: { id: accountId },
        lock: { mode: 'pessimistic_write' },
      });
      account.settings = merged(account.settings, SETTINGS, sent);
      account.custom_attributes = merged(account.custom_attributes, CUSTOM_ATTRIBUTES, sent);
      for (const column of COLUMNS)
        if (changes[column] !== undefined) Object.assign(account, { [column]: changes[column] });
      await accounts.save(account);
      publish(new AccountUpdatedEvent(accountId, changed, actor));
    });
  }
}
