// The custom-attributes module's public surface: definitions of contacts' and conversations'
// custom_attributes, and the typing of the values written under them.
export { CustomAttributesModule } from './custom-attributes.module.js';
export { comparedAs } from './attribute-types.js';
export type {
  AttributeDisplayType,
  AttributeModel,
  AttributeRule,
  AttributeRules,
  ComparedAs,
} from './attribute-types.js';
export { AttributeRulesQuery } from './queries/definition.queries.js';
// For writers of other modules, inside their transaction.
export { typeCustomAttributes } from './definition.store.js';
