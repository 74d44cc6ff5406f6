import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { AttributesField, HttpUrlField, LabelsQueryField, LIMITS } from '../../common/index.js';

const trim = Transform(({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value,
);

/** Chatwoot allows blank email, phone number and identifier: a blank string clears the field. */
function blankToNull(normalize: (text: string) => string = (text) => text) {
  return Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    const text = value.trim();
    return text === '' ? null : normalize(text);
  });
}

const BLANK_CLEARS = 'null or "" clears it';

/** The contact fields every create and update accepts. */
export class ContactFields {
  @ApiPropertyOptional({
    maxLength: LIMITS.name,
    example: 'Alice Doe',
    nullable: true,
    description: 'null clears it (an empty name)',
  })
  // The column keeps '' for "no name", as a contact created without one has.
  @Transform(({ value }: { value: unknown }) => (value === null ? '' : value))
  @IsOptional()
  @trim
  @IsString()
  @MaxLength(LIMITS.name, { message: `must be at most ${LIMITS.name} characters` })
  name?: string;

  @ApiPropertyOptional({ format: 'email', nullable: true, description: BLANK_CLEARS })
  @blankToNull((text) => text.toLowerCase())
  @IsOptional()
  @IsEmail({}, { message: 'must be an email address like name@example.com' })
  @MaxLength(LIMITS.email, { message: `must be at most ${LIMITS.email} characters` })
  email?: string;

  @ApiPropertyOptional({
    description: `E.164, e.g. +14155550100; ${BLANK_CLEARS}`,
    example: '+14155550100',
    nullable: true,
  })
  @blankToNull()
  @IsOptional()
  @Matches(/^\+[1-9]\d{1,14}$/, { message: 'must be in E.164 format, like +14155550100' })
  phone_number?: string;

  @ApiPropertyOptional({
    description: `Your system's id for this person; unique per account; ${BLANK_CLEARS}`,
    maxLength: LIMITS.name,
    nullable: true,
  })
  @blankToNull()
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.name, { message: `must be at most ${LIMITS.name} characters` })
  identifier?: string;

  @HttpUrlField({ optional: true, nullable: true })
  avatar_url?: string;

  @AttributesField({ optional: true, nullable: true })
  custom_attributes?: Record<string, unknown>;
}

export class CreateContactRequest extends ContactFields {
  @AttributesField({ optional: true, nullable: true })
  additional_attributes?: Record<string, unknown>;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  blocked?: boolean;

  @ApiPropertyOptional({
    description: 'Also make the contact reachable in this inbox',
    nullable: true,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  inbox_id?: number;

  @ApiPropertyOptional({
    description: "With inbox_id: the contact's source_id there (default: a new UUID)",
    nullable: true,
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.name)
  source_id?: string;
}

export class UpdateContactRequest extends ContactFields {
  @AttributesField({ optional: true, nullable: true })
  additional_attributes?: Record<string, unknown>;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  blocked?: boolean;
}

export class CreateContactInboxRequest {
  @ApiProperty()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  inbox_id: number;

  @ApiPropertyOptional({ description: 'Default: a new UUID', nullable: true })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.name)
  source_id?: string;
}

export const CONTACT_SORTS = [
  'name',
  'email',
  'phone_number',
  'last_activity_at',
  'created_at',
] as const;

export class ListContactsQueryParams {
  @ApiPropertyOptional({ default: 1, minimum: 1, maximum: 10000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  page?: number;

  @ApiPropertyOptional({
    enum: [...CONTACT_SORTS, ...CONTACT_SORTS.map((sort) => `-${sort}`)],
    description: '`-` sorts descending',
  })
  @IsOptional()
  @IsIn([...CONTACT_SORTS, ...CONTACT_SORTS.map((sort) => `-${sort}`)])
  sort?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => value === true || value === 'true')
  @IsBoolean()
  include_contact_inboxes?: boolean;

  @LabelsQueryField('Contacts carrying any of these labels (as in Chatwoot)')
  labels?: string[];
}

export class SearchContactsQueryParams extends ListContactsQueryParams {
  @ApiProperty({ description: 'Matches name, email, phone number or identifier' })
  @trim
  @IsString()
  @IsNotEmpty({ message: 'must not be blank' })
  @MaxLength(255)
  q: string;
}

export class ContactIdentifyRequest extends ContactFields {
  @ApiPropertyOptional({
    description: 'Your id for this contact in this inbox (default: a new UUID)',
    nullable: true,
  })
  @IsOptional()
  @trim
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.name)
  source_id?: string;

  @ApiPropertyOptional({
    description: 'HMAC-SHA256 of identifier with the inbox hmac_token, hex',
    nullable: true,
  })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  identifier_hash?: string;
}
