import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { AttributesField, HttpUrlField, NameField } from '../../common/index.js';

export class ApiChannelSettings {
  @ApiProperty({ enum: ['api'], description: 'Only API inboxes exist in Conversa' })
  @IsIn(['api'], { message: 'must be "api"' })
  type: 'api';

  @HttpUrlField({
    optional: true,
    nullable: true,
    description: "Your system's endpoint for this inbox's events",
  })
  webhook_url?: string | null;

  @ApiPropertyOptional({
    default: false,
    description: 'Require identifier_hash on every public call',
  })
  @IsOptional()
  @IsBoolean()
  hmac_mandatory?: boolean;

  @AttributesField({ optional: true })
  additional_attributes?: Record<string, unknown>;
}

export class ApiChannelChanges {
  @ApiPropertyOptional({ enum: ['api'], nullable: true })
  @IsOptional()
  @IsIn(['api'], { message: 'must be "api"' })
  type?: 'api';

  @HttpUrlField({ optional: true, nullable: true, description: 'null removes the webhook' })
  webhook_url?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  hmac_mandatory?: boolean;

  @AttributesField({ optional: true })
  additional_attributes?: Record<string, unknown>;
}

class InboxSettings {
  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enable_auto_assignment?: boolean;

  @ApiPropertyOptional({ default: false, description: 'At most one open conversation per contact' })
  @IsOptional()
  @IsBoolean()
  lock_to_single_conversation?: boolean;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  allow_messages_after_resolved?: boolean;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  greeting_enabled?: boolean;

  @ApiPropertyOptional({ maxLength: 1500, nullable: true, description: 'null clears it' })
  @IsOptional()
  @IsString()
  @MaxLength(1500)
  greeting_message?: string;

  @ApiPropertyOptional({ default: 'UTC', example: 'Europe/Lisbon' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string;
}

export class CreateInboxRequest extends InboxSettings {
  @NameField({ example: 'Support API' })
  name: string;

  @ApiProperty({ type: ApiChannelSettings })
  @IsDefined({ message: 'is required, e.g. { "type": "api" }' })
  @ValidateNested()
  @Type(() => ApiChannelSettings)
  channel: ApiChannelSettings;
}

export class UpdateInboxRequest extends InboxSettings {
  @NameField({ optional: true })
  name?: string;

  @ApiPropertyOptional({ type: ApiChannelChanges, nullable: true, description: 'null: no change' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ApiChannelChanges)
  channel?: ApiChannelChanges;
}

export class InboxMembersRequest {
  @ApiProperty()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  inbox_id: number;

  @ApiProperty({ type: [Number] })
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(2_147_483_647, { each: true })
  user_ids: number[];
}

export class ReplaceInboxMembersRequest extends InboxMembersRequest {
  @ApiProperty({ type: [Number], description: 'The new set of members; may be empty' })
  @ArrayMinSize(0)
  @ArrayMaxSize(500)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(2_147_483_647, { each: true })
  declare user_ids: number[];
}
