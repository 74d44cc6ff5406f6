import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  Matches,
  MinLength,
  ValidateBy,
} from 'class-validator';
import { AttributesField, EmailField, LIMITS, NameField } from '../../common/index.js';
import { AVAILABILITIES, ROLES } from '../entities/account-user.entity.js';
import type { Availability, Role } from '../entities/account-user.entity.js';

const PASSWORD_RULES = [
  MinLength(8, { message: 'must be at least 8 characters' }),
  MaxLength(128, { message: 'must be at most 128 characters' }),
];

function PasswordField(description?: string, nullable = false) {
  return applyDecorators(
    ApiPropertyOptional({
      minLength: 8,
      maxLength: 128,
      format: 'password',
      description,
      nullable,
    }),
    IsOptional(),
    IsString(),
    ...PASSWORD_RULES,
  );
}

/** Chatwoot documents `available` where its model stores `online`: both mean online here. */
function AvailabilityField(description: string) {
  return applyDecorators(
    ApiPropertyOptional({ enum: [...AVAILABILITIES, 'available'], nullable: true, description }),
    IsOptional(),
    Transform(({ value }: { value: unknown }) => (value === 'available' ? 'online' : value)),
    IsIn(AVAILABILITIES, { message: 'must be one of: online (or available), busy, offline' }),
  );
}

/** Chatwoot's password_confirmation: sent with a password, it must repeat it exactly. */
function SameAsPassword() {
  return ValidateBy({
    name: 'sameAsPassword',
    validator: {
      validate: (value: unknown, args) => {
        // Without a new password there is nothing to confirm (Chatwoot ignores it then too).
        const password = (args?.object as { password?: unknown } | undefined)?.password;
        return password === undefined || value === password;
      },
      defaultMessage: () => 'must equal password',
    },
  });
}

export class SignInRequest {
  @EmailField({ example: 'ada@acme.test' })
  email: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @MaxLength(128)
  password: string;
}

export class CreateAccessTokenRequest {
  @NameField({ description: 'What the token is for', example: 'CRM integration' })
  name: string;

  @ApiPropertyOptional({
    description: 'Days until the token expires; omit (or null) for no expiry',
    nullable: true,
    minimum: 1,
    maximum: 3650,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  expires_in_days?: number;
}

export class UpdateProfileRequest {
  @NameField({ optional: true })
  name?: string;

  @EmailField({
    optional: true,
    description: 'Your sign-in email; must not belong to another user',
  })
  email?: string;

  @NameField({
    optional: true,
    nullable: true,
    description: 'Name shown to contacts; null clears it',
  })
  display_name?: string;

  @PasswordField('New password')
  password?: string;

  @ApiPropertyOptional({
    description: 'Your current password: required to change the password or the email',
    nullable: true,
  })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  current_password?: string;

  @ApiPropertyOptional({
    description: 'Must equal password when sent (Chatwoot sends it with every password change)',
    nullable: true,
  })
  @IsOptional()
  @SameAsPassword()
  password_confirmation?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: LIMITS.content,
    description: 'Signature your client may append to your replies; null clears it',
  })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.content)
  message_signature?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 32, example: '+15555550123' })
  @IsOptional()
  @Matches(/^\+?[0-9 ().-]{3,31}$/, {
    message: 'must be a phone number such as +15555550123 (digits, spaces, + ( ) . -)',
  })
  phone_number?: string | null;

  @AttributesField({
    optional: true,
    description:
      'Display settings your client keeps for you (Chatwoot ui_settings), stored as sent and replaced whole: a JSON object, at most 100 keys, values up to 1,500 characters',
  })
  ui_settings?: Record<string, unknown>;
}

export class SetAutoOfflineRequest {
  @ApiProperty()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  account_id: number;

  @ApiProperty({ description: 'Go offline automatically when you disconnect' })
  @IsBoolean()
  auto_offline: boolean;
}

export class SetPasswordRequest {
  @ApiProperty({
    description:
      'The one-time token from the invitation (POST /api/v1/accounts/{account_id}/agents without a password)',
  })
  @IsString()
  @MaxLength(128)
  reset_password_token: string;

  @ApiProperty({ minLength: 8, maxLength: 128, format: 'password' })
  @IsString()
  @MinLength(8, { message: 'must be at least 8 characters' })
  @MaxLength(128, { message: 'must be at most 128 characters' })
  password: string;

  @ApiPropertyOptional({ description: 'Must equal password when sent' })
  @IsOptional()
  @SameAsPassword()
  password_confirmation?: string;
}

export class SetAvailabilityRequest {
  @ApiProperty()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  account_id: number;

  @ApiProperty({ enum: AVAILABILITIES })
  @IsIn(AVAILABILITIES)
  availability: Availability;
}

export class CreateAgentRequest {
  @NameField({ example: 'Grace Hopper' })
  name: string;

  @EmailField({ example: 'grace@acme.test' })
  email: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @AvailabilityField('Default offline; "available" (Chatwoot\'s documented value) means online')
  availability_status?: Availability;

  @AvailabilityField("Chatwoot's name for the same setting; wins over availability_status")
  availability?: Availability;

  @ApiPropertyOptional({ default: true, nullable: true })
  @IsOptional()
  @IsBoolean()
  auto_offline?: boolean;

  @PasswordField(
    'Password for a new user (required when no user has this email; an existing user keeps theirs)',
    true,
  )
  password?: string;
}

export class UpdateAgentRequest {
  // null leaves these unchanged, as it always has.
  @NameField({
    optional: true,
    nullable: true,
    description:
      'Only for a user this account created who belongs to no other account (403 agent_profile_not_editable otherwise)',
  })
  name?: string;

  @ApiPropertyOptional({ enum: ROLES, nullable: true })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @AvailabilityField('"available" (Chatwoot\'s documented value) means online')
  availability_status?: Availability;

  @AvailabilityField(
    'The field Chatwoot applies (online, busy, offline); wins over availability_status',
  )
  availability?: Availability;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  auto_offline?: boolean;

  @ApiPropertyOptional({
    nullable: true,
    format: 'email',
    description:
      'Accepted and ignored, as in Chatwoot (an agent changes their own email on the profile)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  email?: string;
}

export class CreateTeamRequest {
  @NameField({ example: 'Billing' })
  name: string;

  @ApiPropertyOptional({ maxLength: 1500, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(1500)
  description?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  allow_auto_assign?: boolean;
}

export class UpdateTeamRequest {
  @NameField({ optional: true })
  name?: string;

  @ApiPropertyOptional({ maxLength: 1500, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(1500)
  description?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  allow_auto_assign?: boolean;
}

export class TeamMembersRequest {
  @ApiProperty({ type: [Number], example: [2, 3] })
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @Type(() => Number)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(2_147_483_647, { each: true })
  user_ids: number[];
}

/** Chatwoot's `account_update_payload`: flat, also as a form. */
export class UpdateAccountRequest {
  @NameField({ optional: true, example: 'Acme Support' })
  name?: string;

  @ApiPropertyOptional({ example: 'en', description: "The account's language (e.g. en, pt_BR)" })
  @IsOptional()
  @Matches(/^[a-z]{2,3}(?:[_-][A-Za-z0-9]{2,4})?$/, {
    message: 'must be a locale such as en, pt_BR or zh-TW',
  })
  locale?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 255,
    example: 'support.example.com',
  })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  domain?: string | null;

  @EmailField({ optional: true, nullable: true, example: 'support@example.com' })
  support_email?: string | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 10,
    maximum: 1_439_856,
    description:
      'Minutes of inactivity after which Chatwoot resolves a conversation. Stored and returned; Conversa does not auto-resolve (no effect). null removes it',
  })
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(1_439_856)
  auto_resolve_after?: number | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: LIMITS.attributeValue,
    description: 'Stored and returned (no effect in Conversa); null removes it',
  })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.attributeValue)
  auto_resolve_message?: string | null;

  @ApiPropertyOptional({
    type: Boolean,
    nullable: true,
    description: 'Stored and returned (no effect in Conversa); null removes it',
  })
  @IsOptional()
  @IsBoolean()
  auto_resolve_ignore_waiting?: boolean | null;

  @ApiPropertyOptional({ maxLength: 255, example: 'Technology' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  industry?: string;

  @ApiPropertyOptional({ maxLength: 255, example: '50-100' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  company_size?: string;

  @ApiPropertyOptional({ maxLength: 64, example: 'Europe/Lisbon' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string;
}
