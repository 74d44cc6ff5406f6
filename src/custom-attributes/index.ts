// The custom-attributes module's public surface: definitions of contacts' and conversations'
// custom_attributes, and the typing of the values written under them.
export { CustomAttributesModule } from './custom-attributes.module.js';
export type { AttributeModel, ComparedAs } from './attribute-types.js';
export { AttributeTypesQuery } from './queries/definition.queries.js';
// For writers of other modules, inside their transaction.
export { typeCustomAttributes } from './definition.store.js';
