import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { typedAttributes } from '../attribute-types.js';
import type { AttributeModel, AttributeRules } from '../attribute-types.js';
import { DefinitionNotFoundError } from '../custom-attributes.errors.js';
import { toDefinitionResponse } from '../dto/definition.responses.js';
import { CustomAttributeDefinition } from '../entities/custom-attribute-definition.entity.js';
import {
  AttributeRulesQuery,
  GetDefinitionQuery,
  ListDefinitionsQuery,
  TypedAttributesQuery,
} from './definition.queries.js';

type Definitions = Repository<CustomAttributeDefinition>;

@QueryHandler(ListDefinitionsQuery)
export class ListDefinitionsHandler implements IQueryHandler<ListDefinitionsQuery> {
  constructor(
    @InjectRepository(CustomAttributeDefinition) private readonly definitions: Definitions,
  ) {}

  async execute({ accountId, model }: ListDefinitionsQuery) {
    const rows = await this.definitions.find({
      where: { account_id: accountId, ...(model ? { attribute_model: model } : {}) },
      order: { attribute_model: 'ASC', position: 'ASC', id: 'ASC' },
    });
    return rows.map(toDefinitionResponse);
  }
}

@QueryHandler(GetDefinitionQuery)
export class GetDefinitionHandler implements IQueryHandler<GetDefinitionQuery> {
  constructor(
    @InjectRepository(CustomAttributeDefinition) private readonly definitions: Definitions,
  ) {}

  async execute({ accountId, definitionId }: GetDefinitionQuery) {
    const row = await this.definitions.findOneBy({ id: definitionId, account_id: accountId });
    if (!row) throw new DefinitionNotFoundError(definitionId);
    return toDefinitionResponse(row);
  }
}

async function rulesOf(
  definitions: Definitions,
  accountId: number,
  model: AttributeModel,
): Promise<AttributeRules> {
  const rows = await definitions.find({
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

@QueryHandler(AttributeRulesQuery)
export class AttributeRulesHandler implements IQueryHandler<AttributeRulesQuery> {
  constructor(
    @InjectRepository(CustomAttributeDefinition) private readonly definitions: Definitions,
  ) {}

  execute({ accountId, model }: AttributeRulesQuery): Promise<AttributeRules> {
    return rulesOf(this.definitions, accountId, model);
  }
}

@QueryHandler(TypedAttributesQuery)
export class TypedAttributesHandler implements IQueryHandler<TypedAttributesQuery> {
  constructor(
    @InjectRepository(CustomAttributeDefinition) private readonly definitions: Definitions,
  ) {}

  async execute({ accountId, model, values }: TypedAttributesQuery) {
    // Most writes carry no custom attributes: no lookup for them.
    if (Object.keys(values).length === 0) return values;
    return typedAttributes(await rulesOf(this.definitions, accountId, model), values);
  }
}
