import type { EntityManager } from 'typeorm';
import type { AttributeModel } from './attribute-types.js';
import { CustomAttributeDefinition } from './entities/custom-attribute-definition.entity.js';

/** The custom-attributes module's reads and writes inside a transaction. */
export class DefinitionStore {
  constructor(private readonly manager: EntityManager) {}

  async lockAccount(accountId: number): Promise<void> {
    await this.manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `custom-attribute-definitions:${accountId}`,
    ]);
  }

  find(accountId: number, id: number): Promise<CustomAttributeDefinition | null> {
    return this.repository.findOneBy({ id, account_id: accountId });
  }

  byKey(
    accountId: number,
    model: AttributeModel,
    key: string,
  ): Promise<CustomAttributeDefinition | null> {
    return this.repository.findOneBy({
      account_id: accountId,
      attribute_model: model,
      attribute_key: key,
    });
  }

  /** Chatwoot's ordering: each new definition of a model goes 10 after the last one. */
  async nextPosition(accountId: number, model: AttributeModel): Promise<number> {
    const last = await this.repository.maximum('position', {
      account_id: accountId,
      attribute_model: model,
    });
    return (last ?? 0) + 10;
  }

  private get repository() {
    return this.manager.getRepository(CustomAttributeDefinition);
  }
}
