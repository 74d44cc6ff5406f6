import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { AttributesField, HttpUrlField, NameField } from '../../common/index.js';
import { HMAC_SCOPES, SENDER_NAME_TYPES } from '../entities/inbox.entity.js';
import type { HmacScope, SenderNameType } from '../entities/inbox.entity.js';

const IGNORED_WIDGET_FIELD =
  'Web widget setting: accepted and ignored (Conversa has API inboxes only; answers show null)';

/** Chatwoot's web-widget channel fields: clients that share one payload send them to API inboxes too. */
class WidgetChannelFields {
  @ApiPropertyOptional({ nullable: true, description: IGNORED_WIDGET_FIELD })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  website_url?: string;

  @ApiPropertyOptional({ nullable: true, description: IGNORED_WIDGET_FIELD })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  welcome_title?: string;

  @ApiPropertyOptional({ nullable: true, description: IGNORED_WIDGET_FIELD })
  @IsOptional()
  @IsString()
  @MaxLength(1500)
  welcome_tagline?: string;

  @ApiPropertyOptional({ nullable: true, example: '#1f93ff', description: IGNORED_WIDGET_FIELD })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  widget_color?: string;
}

export class ApiChannelSettings extends WidgetChannelFields {
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
    description: 'Identity validation: require identifier_hash (where hmac_scope says)',
  })
  @IsOptional()
  @IsBoolean()
  hmac_mandatory?: boolean;

  @ApiPropertyOptional({
    enum: HMAC_SCOPES,
    default: 'contact_routes',
    description:
      "With hmac_mandatory, which Client API routes need identifier_hash: contact_routes (Chatwoot's behaviour: creating or identifying, showing and updating the contact) or every_request (conversation and message routes too)",
  })
  @IsOptional()
  @IsIn(HMAC_SCOPES, { message: 'must be contact_routes or every_request' })
  hmac_scope?: HmacScope;

  @AttributesField({ optional: true })
  additional_attributes?: Record<string, unknown>;
}

export class ApiChannelChanges extends WidgetChannelFields {
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

  @ApiPropertyOptional({
    enum: HMAC_SCOPES,
    default: 'contact_routes',
    description:
      "With hmac_mandatory, which Client API routes need identifier_hash: contact_routes (Chatwoot's behaviour: creating or identifying, showing and updating the contact) or every_request (conversation and message routes too)",
  })
  @IsOptional()
  @IsIn(HMAC_SCOPES, { message: 'must be contact_routes or every_request' })
  hmac_scope?: HmacScope;

  @AttributesField({ optional: true })
  additional_attributes?: Record<string, unknown>;
}

/** Chatwoot's `auto_assignment_config`: the assignment policy's capacity, in Chatwoot's words. */
export class AutoAssignmentConfig {
  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    minimum: 1,
    maximum: 10_000,
    description:
      "At most this many open conversations per agent in this inbox: the assignment policy's capacity_in_inbox (null or 0: no limit)",
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(0)
  @Max(10_000)
  max_assignment_limit?: number | null;
}

/** One day of Chatwoot's working hours. */
export class WorkingHoursDay {
  @ApiProperty({ minimum: 0, maximum: 6, description: '0 is Sunday' })
  @IsInt()
  @Min(0)
  @Max(6)
  day_of_week: number;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsBoolean()
  closed_all_day?: boolean;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsBoolean()
  open_all_day?: boolean;

  @ApiPropertyOptional({ nullable: true, minimum: 0, maximum: 23 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(23)
  open_hour?: number;

  @ApiPropertyOptional({ nullable: true, minimum: 0, maximum: 59 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(59)
  open_minutes?: number;

  @ApiPropertyOptional({ nullable: true, minimum: 0, maximum: 23 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(23)
  close_hour?: number;

  @ApiPropertyOptional({ nullable: true, minimum: 0, maximum: 59 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(59)
  close_minutes?: number;
}

const STORED_NOT_ACTED_ON =
  'Stored and returned for Chatwoot clients; Conversa does not act on it (no CSAT surveys, email collection or out-of-office replies)';

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

  @ApiPropertyOptional({
    type: AutoAssignmentConfig,
    nullable: true,
    description:
      "Chatwoot's auto-assignment settings; max_assignment_limit is the capacity of the inbox's assignment policy (also on …/inboxes/{id}/assignment_policy)",
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => AutoAssignmentConfig)
  auto_assignment_config?: AutoAssignmentConfig;

  @ApiPropertyOptional({ default: true, description: STORED_NOT_ACTED_ON })
  @IsOptional()
  @IsBoolean()
  enable_email_collect?: boolean;

  @ApiPropertyOptional({ default: false, description: STORED_NOT_ACTED_ON })
  @IsOptional()
  @IsBoolean()
  csat_survey_enabled?: boolean;

  @AttributesField({
    optional: true,
    nullable: true,
    description: `CSAT settings (display_type, message, button_text, language, survey_rules, template). ${STORED_NOT_ACTED_ON}`,
  })
  csat_config?: Record<string, unknown>;

  @ApiPropertyOptional({ default: false, description: STORED_NOT_ACTED_ON })
  @IsOptional()
  @IsBoolean()
  working_hours_enabled?: boolean;

  @ApiPropertyOptional({
    type: [WorkingHoursDay],
    nullable: true,
    description: `Opening hours per day of the week; replaces the set. ${STORED_NOT_ACTED_ON}`,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(7)
  @ValidateNested({ each: true })
  @Type(() => WorkingHoursDay)
  working_hours?: WorkingHoursDay[];

  @ApiPropertyOptional({
    maxLength: 1500,
    nullable: true,
    description: `null clears it. ${STORED_NOT_ACTED_ON}`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(1500)
  out_of_office_message?: string;

  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: 'Help-center portal: stored and returned; Conversa has no help center',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  portal_id?: number | null;

  @ApiPropertyOptional({
    enum: SENDER_NAME_TYPES,
    default: 'friendly',
    description: 'How agent names show on outgoing email in Chatwoot: stored and returned',
  })
  @IsOptional()
  @IsIn(SENDER_NAME_TYPES)
  sender_name_type?: SenderNameType;

  @ApiPropertyOptional({
    maxLength: 255,
    nullable: true,
    description: 'Name shown on outgoing email in Chatwoot: stored and returned; null clears it',
  })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  business_name?: string;
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
