import { AttachmentsField, ContentUnlessAttachments } from '../../attachments/index.js';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { AttributesField, IsText, JsonObjectField, LIMITS } from '../../common/index.js';
import { ContactFields } from '../../contacts/index.js';

export class IdentityParams {
  @ApiPropertyOptional({
    description:
      "With the inbox's identity validation on (hmac_mandatory): hex HMAC-SHA256 of the contact identifier with the inbox hmac_token. Needed on the contact routes; on conversation and message routes only when the inbox's hmac_scope is every_request",
  })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  identifier_hash?: string;
}

export class PublicContactParams extends IdentityParams {
  @ApiPropertyOptional({
    description:
      "Chatwoot clients send the contact's identifier with identifier_hash; accepted (the hash is checked against the contact's stored identifier)",
  })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.name)
  identifier?: string;
}

export class PublicTypingParams extends IdentityParams {
  @ApiPropertyOptional({
    enum: ['on', 'off'],
    description: 'As Chatwoot documents it: in the query (or typing_status in the body)',
  })
  @IsOptional()
  @IsIn(['on', 'off'])
  typing_status?: 'on' | 'off';
}

export class PublicMessagesParams extends IdentityParams {
  @ApiPropertyOptional({ description: 'The 20 messages older than this message id' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  before?: number;

  @ApiPropertyOptional({
    description:
      'Up to 100 messages newer than this message id (1,000 with before); not read by Chatwoot',
  })
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
  @ApiPropertyOptional({
    enum: ['on', 'off'],
    description: 'Required here or as the typing_status query parameter (the body wins)',
  })
  @IsOptional()
  @IsIn(['on', 'off'])
  typing_status?: 'on' | 'off';
}

const DROPPED_BY_CHATWOOT =
  "Accepted and ignored, as Chatwoot's Client API does: a contact's message is always an incoming, public text message";

export class PublicMessageCreate {
  @ApiPropertyOptional({
    maxLength: LIMITS.content,
    description: 'Required unless the message has attachments',
  })
  @ContentUnlessAttachments()
  @IsText(
    LIMITS.content,
    'is required and must not be empty: send the message text in content (or a file in attachments[])',
    true,
  )
  content?: string;

  @AttachmentsField()
  attachments?: string[];

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

  @JsonObjectField({ nullable: true, optional: true })
  content_attributes?: Record<string, unknown>;

  @ApiPropertyOptional({ nullable: true, description: DROPPED_BY_CHATWOOT })
  @IsOptional()
  @IsBoolean()
  private?: boolean;

  @ApiPropertyOptional({ nullable: true, type: String, description: DROPPED_BY_CHATWOOT })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  message_type?: string;

  @ApiPropertyOptional({ nullable: true, type: String, description: DROPPED_BY_CHATWOOT })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  content_type?: string;

  @ApiPropertyOptional({ nullable: true, type: Object, description: DROPPED_BY_CHATWOOT })
  @IsOptional()
  @IsObject()
  template_params?: Record<string, unknown>;
}

export class PublicMessageUpdate {
  @AttributesField({
    description:
      'Answers to a form, select or CSAT message: a JSON object, values up to 1,500 characters',
  })
  submitted_values: Record<string, unknown>;
}
