import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  registerDecorator,
  ValidateIf,
} from 'class-validator';
import { LIMITS, NameField } from '../../common/index.js';
import { ATTRIBUTE_DISPLAY_TYPES, ATTRIBUTE_MODELS, isPattern } from '../attribute-types.js';
import type { AttributeDisplayType, AttributeModel } from '../attribute-types.js';

/** Chatwoot takes enums by name or by number (0, "0"); the number is the name's index. */
function byNameOrIndex(names: readonly string[]) {
  return Transform(({ value }: { value: unknown }) => {
    const index =
      typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
    return Number.isInteger(index) && typeof value !== 'boolean' && names[index] !== undefined
      ? names[index]
      : value;
  });
}

function EnumField(names: readonly string[], description: string) {
  const numbers = names.map((name, index) => `${index} = ${name}`).join(', ');
  return applyDecorators(
    ApiPropertyOptional({
      description: `${description} By name or by Chatwoot's number (${numbers}).`,
      oneOf: [
        { type: 'string', enum: [...names] },
        { type: 'integer', minimum: 0, maximum: names.length - 1 },
      ],
    }),
    IsOptional(),
    byNameOrIndex(names),
    IsIn(names, {
      message: `must be one of ${names.join(', ')} (or its number 0-${names.length - 1})`,
    }),
  );
}

/** A regular expression that RE2 compiles (see isPattern). */
function IsPattern(): PropertyDecorator {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isRegex',
      target: object.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isPattern(value),
        defaultMessage: () =>
          'must be a regular expression without lookarounds or backreferences (RE2 syntax), like ^[A-Z]{2}-\\d+$',
      },
    });
}

/** A string of at most 255 characters, a finite number or a boolean. */
function IsScalar(): PropertyDecorator {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isScalar',
      target: object.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) =>
          (typeof value === 'string' && value.length <= 255) ||
          (typeof value === 'number' && Number.isFinite(value)) ||
          typeof value === 'boolean',
        defaultMessage: () => 'must be a string of at most 255 characters, a number or a boolean',
      },
    });
}

const trim = Transform(({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value,
);

class DefinitionFields {
  @EnumField(ATTRIBUTE_DISPLAY_TYPES, 'How values are typed and checked. Default text.')
  attribute_display_type?: AttributeDisplayType;

  @EnumField(ATTRIBUTE_MODELS, 'Which records it governs. Default conversation_attribute.')
  attribute_model?: AttributeModel;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: LIMITS.attributeValue })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.attributeValue)
  attribute_description?: string | null;

  @ApiPropertyOptional({
    type: [String],
    description: 'The options of a list attribute (a list needs at least one)',
    example: ['free', 'pro', 'enterprise'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @IsNotEmpty({ each: true, message: 'must not contain blank options' })
  @MaxLength(LIMITS.name, { each: true })
  attribute_values?: string[];

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 255,
    description:
      'Text attributes only: a regular expression every value must match somewhere (RE2 syntax: no lookarounds or backreferences; anchor with ^ and $)',
    example: '^[A-Z]{2}-\\d+$',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @MaxLength(255)
  @IsPattern()
  regex_pattern?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 255,
    description: 'Shown in the 422 when a value does not match regex_pattern',
  })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  regex_cue?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    oneOf: [{ type: 'string', maxLength: 255 }, { type: 'number' }, { type: 'boolean' }],
    description: 'Stored and returned; not applied to new records (as in Chatwoot)',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsScalar()
  default_value?: string | number | boolean | null;
}

/** Chatwoot's key format: letters, digits, `_`, `.` and `-`. */
const KEY_FORMAT = /^[\p{L}\p{N}_.-]+$/u;

function KeyField(optional: boolean) {
  return applyDecorators(
    (optional ? ApiPropertyOptional : ApiProperty)({
      maxLength: LIMITS.name,
      example: 'plan',
      description:
        "The key in the records' custom_attributes: letters, digits, _ . and -; unique per model",
    }),
    ...(optional ? [IsOptional()] : []),
    trim,
    IsString(),
    MaxLength(LIMITS.name),
    Matches(KEY_FORMAT, { message: 'may contain only letters, digits, _ . and - (like order_id)' }),
  );
}

export class CreateCustomAttributeDefinitionRequest extends DefinitionFields {
  @NameField({ example: 'Plan' })
  attribute_display_name: string;

  @KeyField(false)
  attribute_key: string;
}

export class UpdateCustomAttributeDefinitionRequest extends DefinitionFields {
  @NameField({ optional: true })
  attribute_display_name?: string;

  @KeyField(true)
  attribute_key?: string;
}

export class ListCustomAttributeDefinitionsParams {
  @ApiPropertyOptional({
    description:
      'Only this model: 0 or conversation_attribute, 1 or contact_attribute (all without it)',
    enum: ['0', '1', ...ATTRIBUTE_MODELS],
  })
  @IsOptional()
  @byNameOrIndex(ATTRIBUTE_MODELS)
  @IsIn(ATTRIBUTE_MODELS, {
    message: 'must be 0, 1, conversation_attribute or contact_attribute',
  })
  attribute_model?: AttributeModel;
}
