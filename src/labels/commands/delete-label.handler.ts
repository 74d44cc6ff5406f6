import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../outbox/index.js';
import { Label } from '../entities/label.entity.js';
import { LabelNotFoundError } from '../labels.errors.js';
import { DeleteLabelCommand } from './delete-label.command.js';

@CommandHandler(DeleteLabelCommand)
export class DeleteLabelHandler implements ICommandHandler<DeleteLabelCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ accountId, labelId }: DeleteLabelCommand): Promise<void> {
    const result = await this.uow.run(({ manager }) =>
      manager.getRepository(Label).delete({ id: labelId, account_id: accountId }),
    );
    if (!result.affected) throw new LabelNotFoundError(labelId);
  }
}
