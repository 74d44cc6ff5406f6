import { Command } from '@nestjs/cqrs';
import type { AttributeDisplayType, AttributeModel } from '../attribute-types.js';

export interface DefinitionFields {
  attribute_display_name?: string;
  attribute_key?: string;
  attribute_display_type?: AttributeDisplayType;
  attribute_model?: AttributeModel;
  attribute_description?: string | null;
  attribute_values?: string[];
  regex_pattern?: string | null;
  regex_cue?: string | null;
  default_value?: string | number | boolean | null;
}

/** Creates (definitionId null) or updates a definition; keys are unique per account and model. */
export class SaveDefinitionCommand extends Command<{ id: number }> {
  constructor(
    readonly accountId: number,
    readonly definitionId: number | null,
    readonly fields: DefinitionFields,
  ) {
    super();
  }
}

/**
 * Deletes a definition. As in Chatwoot, the values already stored under its key stay on the
 * records, free-form from then on.
 */
export class DeleteDefinitionCommand extends Command<void> {
  constructor(
    readonly accountId: number,
    readonly definitionId: number,
  ) {
    super();
  }
}
