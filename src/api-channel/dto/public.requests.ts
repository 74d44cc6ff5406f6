import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { AttributesField, LIMITS } from '../../common/index.js';
import { ContactFields } from '../../contacts/index.js';

export class IdentityParams {
  @ApiPropertyOptional({
    description:
      'Required when the inbox has identity validation on: hex HMAC-SHA256 of the contact identifier with the inbox hmac_token',
  })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  identifier_hash?: string;
}

export class PublicMessagesParams extends IdentityParams {
  @ApiPropertyOptional({ description: 'Messages older than this message id' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  before?: number;

  @ApiPropertyOptional({ description: 'Messages newer than this message id' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  after?: number;
}

export class PublicContactUpdate extends ContactFields {
  @ApiPropertyOptional({ nullable: true, description: 'See identifier_hash on create' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  identifier_hash?: string;
}

export class PublicConversationCreate {
  @AttributesField({ nullable: true, optional: true })
  custom_attributes?: Record<string, unknown>;
}

export class PublicTyping {
  @ApiProperty({ enum: ['on', 'off'] })
  @IsIn(['on', 'off'])
  typing_status: 'on' | 'off';
}

export class PublicMessageCreate {
  @ApiProperty({ maxLength: LIMITS.content })
  @IsString()
  @IsNotEmpty({ message: 'must not be empty' })
  @MaxLength(LIMITS.content, { message: `must be at most ${LIMITS.content} characters` })
  content: string;

  @ApiPropertyOptional({ nullable: true, description: 'Echoed back in the response and events' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.name)
  echo_id?: string;

  @ApiPropertyOptional({
    nullable: true,
    description:
      'Your id for the message, unique per inbox: posting it again returns the existing message',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.name)
  source_id?: string;

  @AttributesField({ nullable: true, optional: true })
  content_attributes?: Record<string, unknown>;
}

export class PublicMessageUpdate {
  @AttributesField({
    description:
      'Answers to a form, select or CSAT message: a JSON object, values up to 1,500 characters',
  })
  submitted_values: Record<string, unknown>;
}
