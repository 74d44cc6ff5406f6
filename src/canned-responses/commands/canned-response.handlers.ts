import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { advisoryLock } from '../../database/index.js';
import { UnitOfWork } from '../../outbox/index.js';
import { CannedResponseNotFoundError, ShortCodeTakenError } from '../canned-responses.errors.js';
import { CannedResponse } from '../entities/canned-response.entity.js';
import {
  DeleteCannedResponseCommand,
  SaveCannedResponseCommand,
} from './canned-response.commands.js';

@CommandHandler(SaveCannedResponseCommand)
export class SaveCannedResponseHandler implements ICommandHandler<SaveCannedResponseCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ accountId, id, fields }: SaveCannedResponseCommand): Promise<{ id: number }> {
    return this.uow.run(async ({ manager }) => {
      const rows = manager.getRepository(CannedResponse);
      const values: Partial<CannedResponse> = {};
      if (fields.shortCode !== undefined) values.short_code = fields.shortCode;
      if (fields.content !== undefined) values.content = fields.content;
      if (fields.shortCode !== undefined) {
        await advisoryLock(manager, `canned-short-code:${accountId}`);
        const clash = await rows.findOneBy({ account_id: accountId, short_code: fields.shortCode });
        if (clash && clash.id !== id) throw new ShortCodeTakenError(fields.shortCode, clash.id);
      }
      if (id === null) {
        const created = await rows.save({ ...values, account_id: accountId });
        return { id: created.id };
      }
      if (!(await rows.existsBy({ id, account_id: accountId })))
        throw new CannedResponseNotFoundError(id);
      if (Object.keys(values).length > 0) await rows.update({ id }, values);
      return { id };
    });
  }
}

@CommandHandler(DeleteCannedResponseCommand)
export class DeleteCannedResponseHandler implements ICommandHandler<DeleteCannedResponseCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ accountId, id }: DeleteCannedResponseCommand): Promise<void> {
    const result = await this.uow.run(({ manager }) =>
      manager.getRepository(CannedResponse).delete({ id, account_id: accountId }),
    );
    if (!result.affected) throw new CannedResponseNotFoundError(id);
  }
}
