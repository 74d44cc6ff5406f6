import { Query } from '@nestjs/cqrs';
import type { AttributeModel, AttributeRules } from '../attribute-types.js';
import type { CustomAttributeDefinitionResponse } from '../dto/definition.responses.js';

/** The account's definitions (of one model, or all), in Chatwoot's order. */
export class ListDefinitionsQuery extends Query<CustomAttributeDefinitionResponse[]> {
  constructor(
    readonly accountId: number,
    readonly model?: AttributeModel,
  ) {
    super();
  }
}

export class GetDefinitionQuery extends Query<CustomAttributeDefinitionResponse> {
  constructor(
    readonly accountId: number,
    readonly definitionId: number,
  ) {
    super();
  }
}

/** What the account's definitions of a model say about values, by key (for filters and rules). */
export class AttributeRulesQuery extends Query<AttributeRules> {
  constructor(
    readonly accountId: number,
    readonly model: AttributeModel,
  ) {
    super();
  }
}
