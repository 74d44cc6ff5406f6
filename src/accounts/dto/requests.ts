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
  MinLength,
} from 'class-validator';
import { EmailField, NameField } from '../../common/index.js';
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

  @NameField({
    optional: true,
    nullable: true,
    description: 'Name shown to contacts; null clears it',
  })
  display_name?: string;

  @PasswordField('New password')
  password?: string;

  @ApiPropertyOptional({ description: 'Required to change the password', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  current_password?: string;
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
