import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { comparedAs } from '../attribute-types.js';
import { DefinitionNotFoundError } from '../custom-attributes.errors.js';
import { DefinitionStore } from '../definition.store.js';
import { toDefinitionResponse } from '../dto/definition.responses.js';
import { CustomAttributeDefinition } from '../entities/custom-attribute-definition.entity.js';
import {
  AttributeTypesQuery,
  GetDefinitionQuery,
  ListDefinitionsQuery,
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

@QueryHandler(AttributeTypesQuery)
export class AttributeTypesHandler implements IQueryHandler<AttributeTypesQuery> {
  constructor(
    @InjectRepository(CustomAttributeDefinition) private readonly definitions: Definitions,
  ) {}

  async execute({ accountId, model }: AttributeTypesQuery) {
    const rules = await new DefinitionStore(this.definitions.manager).rules(accountId, model);
    return Object.fromEntries(
      Object.values(rules).map((rule) => [rule.key, comparedAs(rule.type)] as const),
    );
  }
}
