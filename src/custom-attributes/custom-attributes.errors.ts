import { ConflictError, NotFoundError, UnprocessableError } from '../common/index.js';
import type { AttributeModel } from './attribute-types.js';

export class DefinitionNotFoundError extends NotFoundError {
  constructor(id: number) {
    super(
      'custom_attribute_definition_not_found',
      `No custom attribute definition ${id} in this account.`,
    );
  }
}

export class DefinitionKeyTakenError extends ConflictError {
  constructor(key: string, model: AttributeModel, existingId: number) {
    super(
      'custom_attribute_key_taken',
      `The ${model} "${key}" is already defined (definition ${existingId}); update that one or choose another key.`,
      { existing_id: existingId },
    );
  }
}

export class StandardAttributeKeyError extends UnprocessableError {
  constructor(key: string, model: AttributeModel) {
    super(
      'custom_attribute_key_reserved',
      `"${key}" is a standard attribute of ${model === 'contact_attribute' ? 'contacts' : 'conversations'}; choose another key, such as custom_${key}.`,
    );
  }
}

export class ListWithoutOptionsError extends UnprocessableError {
  constructor() {
    super(
      'custom_attribute_list_without_values',
      'A list attribute needs its options in attribute_values, such as ["free", "pro"].',
    );
  }
}
