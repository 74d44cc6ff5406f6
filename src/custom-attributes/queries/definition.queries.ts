import { Query } from '@nestjs/cqrs';
import type { AttributeModel, ComparedAs } from '../attribute-types.js';
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

/**
 * How each key the account defines for a model compares (number, date, boolean or text), for
 * filters and automation conditions; undefined keys are absent (they compare as text).
 */
export class AttributeTypesQuery extends Query<Record<string, ComparedAs>> {
  constructor(
    readonly accountId: number,
    readonly model: AttributeModel,
  ) {
    super();
  }
}
