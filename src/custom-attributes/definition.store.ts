import type { EntityManager } from 'typeorm';
import { typedAttributes } from './attribute-types.js';
import type { AttributeModel, AttributeRules } from './attribute-types.js';
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

  /** What the account's definitions of `model` say about values, by key. */
  async rules(accountId: number, model: AttributeModel): Promise<AttributeRules> {
    const rows = await this.repository.find({
      where: { account_id: accountId, attribute_model: model },
      select: {
        attribute_key: true,
        attribute_display_type: true,
        attribute_values: true,
        regex_pattern: true,
        regex_cue: true,
      },
    });
    return Object.fromEntries(
      rows.map((row) => [
        row.attribute_key,
        {
          key: row.attribute_key,
          type: row.attribute_display_type,
          options: row.attribute_values,
          regexPattern: row.attribute_display_type === 'text' ? row.regex_pattern : null,
          regexCue: row.regex_cue,
        },
      ]),
    );
  }

  private get repository() {
    return this.manager.getRepository(CustomAttributeDefinition);
  }
}

/**
 * For writers of other modules, inside their transaction: the custom attributes to store, with
 * values under keys the account defines for `model` checked and normalised (typedAttributes);
 * a 422 names every bad key. No lookup when there are no values.
 */
export async function typeCustomAttributes(
  manager: EntityManager,
  accountId: number,
  model: AttributeModel,
  values: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  if (Object.keys(values).length === 0) return values;
  return typedAttributes(await new DefinitionStore(manager).rules(accountId, model), values);
}
