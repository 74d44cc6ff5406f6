import { ApiProperty } from '@nestjs/swagger';
import { ATTRIBUTE_DISPLAY_TYPES, ATTRIBUTE_MODELS } from '../attribute-types.js';
import type { AttributeDisplayType, AttributeModel } from '../attribute-types.js';
import type { CustomAttributeDefinition } from '../entities/custom-attribute-definition.entity.js';

/** Chatwoot's custom attribute definition shape (its jbuilder partial, plus regex_cue). */
export class CustomAttributeDefinitionResponse {
  @ApiProperty() id: number;
  @ApiProperty({ example: 'Plan' }) attribute_display_name: string;
  @ApiProperty({ enum: ATTRIBUTE_DISPLAY_TYPES }) attribute_display_type: AttributeDisplayType;
  @ApiProperty({ nullable: true, type: String }) attribute_description: string | null;
  @ApiProperty({ example: 'plan' }) attribute_key: string;
  @ApiProperty({ nullable: true, type: String }) regex_pattern: string | null;
  @ApiProperty({ nullable: true, type: String }) regex_cue: string | null;
  @ApiProperty({ type: [String], description: 'The options of a list attribute' })
  attribute_values: string[];
  @ApiProperty({ enum: ATTRIBUTE_MODELS }) attribute_model: AttributeModel;
  @ApiProperty({
    nullable: true,
    oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }],
    description: 'Not applied to new records',
  })
  default_value: string | number | boolean | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
}

export function toDefinitionResponse(
  definition: CustomAttributeDefinition,
): CustomAttributeDefinitionResponse {
  return {
    id: definition.id,
    attribute_display_name: definition.attribute_display_name,
    attribute_display_type: definition.attribute_display_type,
    attribute_description: definition.attribute_description,
    attribute_key: definition.attribute_key,
    regex_pattern: definition.regex_pattern,
    regex_cue: definition.regex_cue,
    attribute_values: definition.attribute_values,
    attribute_model: definition.attribute_model,
    default_value: definition.default_value,
    created_at: definition.created_at.toISOString(),
    updated_at: definition.updated_at.toISOString(),
  };
}
