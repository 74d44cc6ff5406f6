import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { renameContactLabel } from '../../contacts/index.js';
import { renameConversationLabel } from '../../conversations/index.js';
import { advisoryLock } from '../../database/index.js';
import { UnitOfWork } from '../../outbox/index.js';
import { Label } from '../entities/label.entity.js';
import { LabelNotFoundError, LabelTitleTakenError } from '../labels.errors.js';
import { SaveLabelCommand } from './save-label.command.js';

@CommandHandler(SaveLabelCommand)
export class SaveLabelHandler implements ICommandHandler<SaveLabelCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ accountId, labelId, fields, actor }: SaveLabelCommand): Promise<{ id: number }> {
    return this.uow.run(async (tx) => {
      const { manager } = tx;
      const labels = manager.getRepository(Label);
      const values: Partial<Label> = {};
      if (fields.title !== undefined) values.title = fields.title;
      if (fields.description !== undefined) values.description = fields.description;
      if (fields.color !== undefined) values.color = fields.color;
      if (fields.showOnSidebar !== undefined) values.show_on_sidebar = fields.showOnSidebar;

      if (fields.title !== undefined) {
        await advisoryLock(manager, `label-title:${accountId}`);
        const clash = await labels.findOneBy({ account_id: accountId, title: fields.title });
        if (clash && clash.id !== labelId) throw new LabelTitleTakenError(fields.title, clash.id);
      }
      if (labelId === null) {
        const created = await labels.save({ ...values, account_id: accountId });
        return { id: created.id };
      }
      const label = await labels.findOne({
        where: { id: labelId, account_id: accountId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!label) throw new LabelNotFoundError(labelId);
      if (Object.keys(values).length > 0) await labels.update({ id: labelId }, values);
      // Chatwoot renames the tag on the account's conversations and contacts (a background
      // job there); here it happens in the same transaction, so no reader ever sees the label
      // under its old title after the rename committed.
      if (fields.title !== undefined && fields.title !== label.title) {
        await renameConversationLabel(tx, accountId, label.title, fields.title, actor);
        await renameContactLabel(manager, accountId, label.title, fields.title);
      }
      return { id: labelId };
    });
  }
}
