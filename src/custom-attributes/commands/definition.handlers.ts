import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../outbox/index.js';
import { STANDARD_ATTRIBUTES } from '../attribute-types.js';
import {
  DefinitionKeyTakenError,
  DefinitionNotFoundError,
  ListWithoutOptionsError,
  StandardAttributeKeyError,
} from '../custom-attributes.errors.js';
import { DefinitionStore } from '../definition.store.js';
import { CustomAttributeDefinition } from '../entities/custom-attribute-definition.entity.js';
import { DeleteDefinitionCommand, SaveDefinitionCommand } from './definition.commands.js';

@CommandHandler(SaveDefinitionCommand)
export class SaveDefinitionHandler implements ICommandHandler<SaveDefinitionCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ accountId, definitionId, fields }: SaveDefinitionCommand): Promise<{ id: number }> {
    return this.uow.run(async ({ manager }) => {
      const store = new DefinitionStore(manager);
      // One writer per account at a time: the key check and the next position stay true.
      await store.lockAccount(accountId);
      const current = definitionId === null ? null : await store.find(accountId, definitionId);
      if (definitionId !== null && !current) throw new DefinitionNotFoundError(definitionId);
      const next: Partial<CustomAttributeDefinition> = {
        attribute_display_type: 'text',
        attribute_model: 'conversation_attribute',
        attribute_values: [],
        ...current,
        ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
      };
      const model = next.attribute_model!;
      const key = next.attribute_key!;
      if (next.attribute_display_type === 'list' && next.attribute_values!.length === 0)
        throw new ListWithoutOptionsError();
      const keyChanged =
        !current || current.attribute_key !== key || current.attribute_model !== model;
      if (keyChanged) {
        if (STANDARD_ATTRIBUTES[model].includes(key))
          throw new StandardAttributeKeyError(key, model);
        const clash = await store.byKey(accountId, model, key);
        if (clash && clash.id !== definitionId)
          throw new DefinitionKeyTakenError(key, model, clash.id);
      }
      if (!current || current.attribute_model !== model)
        next.position = await store.nextPosition(accountId, model);
      const saved = await manager
        .getRepository(CustomAttributeDefinition)
        .save({ ...next, account_id: accountId });
      return { id: saved.id };
    });
  }
}

@CommandHandler(DeleteDefinitionCommand)
export class DeleteDefinitionHandler implements ICommandHandler<DeleteDefinitionCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ accountId, definitionId }: DeleteDefinitionCommand): Promise<void> {
    const result = await this.uow.run(({ manager }) =>
      manager
        .getRepository(CustomAttributeDefinition)
        .delete({ id: definitionId, account_id: accountId }),
    );
    if (!result.affected) throw new DefinitionNotFoundError(definitionId);
  }
}
