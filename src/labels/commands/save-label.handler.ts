import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { Actor } from '../../common/index.js';
import { renameContactLabel } from '../../contacts/index.js';
import { renameConversationLabel } from '../../conversations/index.js';
import { advisoryLock } from '../../database/index.js';
import { UnitOfWork } from '../../outbox/index.js';
import { Label } from '../entities/label.entity.js';
import { LabelNotFoundError, LabelTitleTakenError } from '../labels.errors.js';
import { SaveLabelCommand } from './save-label.command.js';

/** Conversations renamed per transaction: bounds how long a rename holds their rows. */
export const RENAME_BATCH = 100;

@CommandHandler(SaveLabelCommand)
export class SaveLabelHandler implements ICommandHandler<SaveLabelCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ accountId, labelId, fields, actor }: SaveLabelCommand): Promise<{ id: number }> {
    const saved = await this.uow.run(async ({ manager }) => {
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
        return { ...created, renaming_from: [] };
      }
      const label = await labels.findOne({
        where: { id: labelId, account_id: accountId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!label) throw new LabelNotFoundError(labelId);
      if (fields.title !== undefined && fields.title !== label.title) {
        // Contacts carry no events for it: one statement, now. Conversations follow in batches.
        await renameContactLabel(manager, accountId, label.title, fields.title);
        values.renaming_from = [...new Set([...label.renaming_from, label.title])];
      }
      if (Object.keys(values).length > 0) await labels.update({ id: labelId }, values);
      return { ...label, ...values };
    });
    if (saved.renaming_from.length > 0) await this.renameConversations(saved, actor);
    return { id: saved.id };
  }

  /**
   * Chatwoot renames the label on the account's conversations in a background job, with a
   * conversation_updated for each. Here it happens before the answer, in transactions of at
   * most RENAME_BATCH conversations (each with its events), so live traffic on those
   * conversations waits for one batch at most. The label keeps the old titles in
   * `renaming_from` until every conversation is renamed: if the process stops halfway, the
   * next PATCH of the label (any field) finishes the rename.
   */
  private async renameConversations(
    label: Pick<Label, 'id' | 'account_id' | 'title' | 'renaming_from'>,
    actor: Actor,
  ): Promise<void> {
    for (const from of label.renaming_from) {
      let renamed = 0;
      // Renamed back to a former title: those conversations already carry it.
      if (from !== label.title)
        do {
          renamed = await this.uow.run((tx) =>
            renameConversationLabel(tx, label.account_id, from, label.title, actor, RENAME_BATCH),
          );
        } while (renamed === RENAME_BATCH);
      await this.uow.run(({ manager }) =>
        manager.query(
          `UPDATE labels SET renaming_from = array_remove(renaming_from, $2) WHERE id = $1`,
          [label.id, from],
        ),
      );
    }
  }
}
