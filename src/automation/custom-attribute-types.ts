import type { QueryBus } from '@nestjs/cqrs';
import { AttributeTypesQuery } from '../custom-attributes/index.js';
import { customAttributeModel } from './conditions.js';
import type { AttributeResolver, CustomAttributeTypes, RuleCondition } from './conditions.js';

/**
 * The types the account's definitions give the custom attributes these conditions read; one
 * lookup per model read, none when no condition reads a custom attribute.
 */
export async function customAttributeTypes(
  queries: QueryBus,
  accountId: number,
  conditions: RuleCondition[],
  extra: Record<string, AttributeResolver>,
): Promise<CustomAttributeTypes> {
  const models = new Set(
    conditions.flatMap((condition) => customAttributeModel(condition, extra) ?? []),
  );
  const entries = await Promise.all(
    [...models].map(
      async (model) =>
        [model, await queries.execute(new AttributeTypesQuery(accountId, model))] as const,
    ),
  );
  return Object.fromEntries(entries);
}
