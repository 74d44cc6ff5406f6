import { applyDecorators } from '@nestjs/common';
import { AttachmentsField } from '../../attachments/index.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsDate,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  AttributesField,
  IsText,
  JsonObjectField,
  LabelsQueryField,
  LIMITS,
  MAX_JSON_OBJECT_BYTES,
} from '../../common/index.js';
import { CONVERSATION_STATUSES, PRIORITIES } from '../entities/conversation.entity.js';
import type { ConversationStatus, Priority } from '../entities/conversation.entity.js';
import { CONTENT_TYPES, MESSAGE_STATUSES } from '../entities/message.entity.js';
import type { ContentType, MessageStatus } from '../entities/message.entity.js';

const MAX_ID = 2_147_483_647;

/** Unix seconds or an ISO 8601 time, read as a Date. */
function SnoozedUntilField(description: string) {
  return applyDecorators(
    ApiPropertyOptional({
      description,
      nullable: true,
      oneOf: [{ type: 'integer' }, { type: 'string', format: 'date-time' }],
    }),
    IsOptional(),
    ValidateIf((_, value) => value !== null),
    // From the raw value: a @Type(() => Date) would already have read seconds as milliseconds.
    Transform(({ obj, key }: { obj: Record<string, unknown>; key: string }) => {
      const value = obj[key];
      return typeof value === 'number'
        ? new Date(value * 1000)
        : typeof value === 'string'
          ? new Date(value)
          : value;
    }),
    IsDate({ message: 'must be unix seconds or an ISO 8601 time, like 2030-01-31T09:00:00Z' }),
  );
}

export class ListConversationsParams {
  @ApiPropertyOptional({ enum: [...CONVERSATION_STATUSES, 'all'], default: 'open' })
  @IsOptional()
  @IsIn([...CONVERSATION_STATUSES, 'all'])
  status?: ConversationStatus | 'all';

  @ApiPropertyOptional({ enum: ['me', 'unassigned', 'assigned', 'all'], default: 'all' })
  @IsOptional()
  @IsIn(['me', 'unassigned', 'assigned', 'all'])
  assignee_type?: 'me' | 'unassigned' | 'assigned' | 'all';

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  inbox_id?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  team_id?: number;

  @LabelsQueryField('Conversations carrying any of these labels (as in Chatwoot)')
  labels?: string[];

  @ApiPropertyOptional({
    description:
      "Searches the contact's name, email, phone, identifier, the display id and message text",
  })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  q?: string;

  @ApiPropertyOptional({
    enum: [
      'last_activity_at_desc',
      'last_activity_at_asc',
      'created_at_desc',
      'created_at_asc',
      'priority_desc',
      'priority_asc',
      'waiting_since_asc',
      'waiting_since_desc',
    ],
  })
  @IsOptional()
  @IsIn([
    'last_activity_at_desc',
    'last_activity_at_asc',
    'created_at_desc',
    'created_at_asc',
    'priority_desc',
    'priority_asc',
    'waiting_since_asc',
    'waiting_since_desc',
  ])
  sort_by?: string;

  @ApiPropertyOptional({ default: 1, description: '25 conversations per page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  page?: number;
}

export class PageParams {
  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  page?: number;
}

/** Whether a message carries something besides its text (then content may be left out). */
function hasMoreThanContent(body: object): boolean {
  const { content_attributes, template_params, attachments } = body as Record<string, unknown>;
  return (
    (content_attributes !== undefined && content_attributes !== null) ||
    (template_params !== undefined && template_params !== null) ||
    (Array.isArray(attachments) && attachments.length > 0)
  );
}

const IGNORED_EMAIL_FIELD =
  'Email inboxes only: accepted and ignored (Chatwoot ignores it on API inboxes too)';

export class CreateMessageRequest {
  @ApiPropertyOptional({
    type: String,
    maxLength: LIMITS.content,
    nullable: true,
    description:
      'The text; may be left out when the message has content_attributes, template_params or attachments',
  })
  @ValidateIf((body: object, value) => value != null || !hasMoreThanContent(body))
  @IsText(
    LIMITS.content,
    'is required unless the message has content_attributes, template_params or attachments',
  )
  content?: string | null;

  @AttachmentsField()
  attachments?: string[];

  @ApiPropertyOptional({
    nullable: true,
    enum: ['outgoing', 'incoming'],
    default: 'outgoing',
    description: 'incoming is for API inboxes, as from the contact',
  })
  @IsOptional()
  @IsIn(['outgoing', 'incoming'])
  message_type?: 'outgoing' | 'incoming';

  @ApiPropertyOptional({
    nullable: true,
    default: false,
    description: 'A private note, never shown to the contact',
  })
  @IsOptional()
  @IsBoolean()
  private?: boolean;

  @ApiPropertyOptional({
    nullable: true,
    enum: CONTENT_TYPES,
    default: 'text',
    description: "Chatwoot's message content types; Conversa stores and forwards them as sent",
  })
  @IsOptional()
  @IsIn(CONTENT_TYPES)
  content_type?: ContentType;

  @JsonObjectField({
    nullable: true,
    optional: true,
    description: `Structured content (items of cards, form, input_select; in_reply_to, ...): a JSON object or a string holding one, at most ${MAX_JSON_OBJECT_BYTES / 1024} KB as JSON`,
    example: {
      items: [
        { title: 'Yes', value: 'yes' },
        { title: 'No', value: 'no' },
      ],
    },
  })
  content_attributes?: Record<string, unknown>;

  @JsonObjectField({
    nullable: true,
    optional: true,
    description:
      'WhatsApp-style template (name, category, language, processed_params): stored in additional_attributes.template_params, as Chatwoot does, and forwarded in events',
    example: {
      name: 'order_update',
      category: 'UTILITY',
      language: 'en_US',
      processed_params: { 1: 'A-1042' },
    },
  })
  template_params?: Record<string, unknown>;

  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: 'The campaign the message belongs to: stored in additional_attributes.campaign_id',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  campaign_id?: number | null;

  @ApiPropertyOptional({
    nullable: true,
    oneOf: [{ type: 'integer' }, { type: 'string', format: 'date-time' }],
    description:
      'When the message was created in your system (unix seconds or ISO 8601): stored in content_attributes.external_created_at, as Chatwoot does',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsExternalTime()
  external_created_at?: number | string | null;

  @ApiPropertyOptional({
    nullable: true,
    description:
      'Your id for the message; unique per inbox (a repeat returns the existing message)',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.name)
  source_id?: string;

  @ApiPropertyOptional({ nullable: true, description: 'Echoed back in the response and events' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.name)
  echo_id?: string;

  @ApiPropertyOptional({ nullable: true, description: IGNORED_EMAIL_FIELD })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.content)
  cc_emails?: string;

  @ApiPropertyOptional({ nullable: true, description: IGNORED_EMAIL_FIELD })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.content)
  bcc_emails?: string;

  @ApiPropertyOptional({ nullable: true, description: IGNORED_EMAIL_FIELD })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.content)
  to_emails?: string;
}

/** unix seconds, or a string a Date reads (ISO 8601). */
function IsExternalTime(): PropertyDecorator {
  return ValidateBy({
    name: 'isExternalTime',
    validator: {
      validate: (value: unknown) =>
        (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 1e11) ||
        (typeof value === 'string' && value.length <= 64 && !Number.isNaN(Date.parse(value))),
      defaultMessage: () => 'must be unix seconds or an ISO 8601 time, like 2030-01-31T09:00:00Z',
    },
  });
}

export class CreateConversationRequest {
  @ApiPropertyOptional({
    description:
      'Required with contact_id. Without it, the inbox is the one where the contact has source_id (as in Chatwoot); a source_id found in several inboxes needs inbox_id',
  })
  @ValidateIf(
    (body: CreateConversationRequest) =>
      body.contact_id !== undefined || body.inbox_id !== undefined,
  )
  @IsInt({ message: 'is required with contact_id' })
  @Min(1)
  @Max(MAX_ID)
  inbox_id?: number;

  @ApiPropertyOptional({
    description: "The contact's source_id in the inbox (or give contact_id and inbox_id)",
  })
  @ValidateIf(
    (body: CreateConversationRequest) =>
      body.contact_id === undefined || body.source_id !== undefined,
  )
  @IsString({ message: 'is required unless contact_id is given' })
  @IsNotEmpty()
  @MaxLength(LIMITS.name)
  source_id?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  contact_id?: number;

  @ApiPropertyOptional({
    nullable: true,
    enum: CONVERSATION_STATUSES,
    description: 'Default open; snoozed_until alone means snoozed',
  })
  @IsOptional()
  @IsIn(CONVERSATION_STATUSES)
  status?: ConversationStatus;

  @SnoozedUntilField(
    'Snoozed until this time (unix seconds or ISO 8601, in the future); ignored with another status than snoozed, as in Chatwoot',
  )
  snoozed_until?: Date | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  assignee_id?: number;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  team_id?: number;

  @AttributesField({ nullable: true, optional: true })
  custom_attributes?: Record<string, unknown>;

  @AttributesField({ nullable: true, optional: true })
  additional_attributes?: Record<string, unknown>;

  @ApiPropertyOptional({
    nullable: true,
    type: () => CreateMessageRequest,
    description:
      'A first message, with every field of POST …/conversations/{id}/messages (outgoing by default)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => CreateMessageRequest)
  message?: CreateMessageRequest;
}

export class ToggleStatusRequest {
  @ApiPropertyOptional({
    nullable: true,
    enum: CONVERSATION_STATUSES,
    description: 'Without it: open ↔ resolved',
  })
  @IsOptional()
  @IsIn(CONVERSATION_STATUSES)
  status?: ConversationStatus;

  @SnoozedUntilField(
    "With status snoozed: unix seconds or an ISO 8601 time in the future, when the conversation reopens by itself (without it: at the contact's next message)",
  )
  snoozed_until?: Date | null;
}

export class TogglePriorityRequest {
  @ApiProperty({
    enum: [...PRIORITIES, 'none'],
    nullable: true,
    description: 'null or "none" clears it',
  })
  @ValidateIf((_, value) => value !== null)
  @IsIn([...PRIORITIES, 'none'])
  priority: Priority | 'none' | null;
}

export class UpdateConversationRequest {
  @ApiPropertyOptional({ enum: [...PRIORITIES, 'none'], nullable: true })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsIn([...PRIORITIES, 'none'])
  priority?: Priority | 'none' | null;

  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: 'Chatwoot Enterprise SLA policy: accepted and ignored (Conversa has no SLAs)',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  sla_policy_id?: number | null;
}

export class CustomAttributesRequest {
  @AttributesField({ description: 'Replaces all custom attributes' })
  custom_attributes: Record<string, unknown>;
}

// Conversations and contacts take the same label set.
export { LabelsRequest } from '../../common/index.js';

export class AssignmentRequest {
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'null unassigns' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  assignee_id?: number | null;

  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: 'Ignored when assignee_id is given (Chatwoot)',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  team_id?: number | null;

  @ApiPropertyOptional({
    enum: ['User', 'AgentBot'],
    description:
      '"AgentBot": assignee_id is an agent bot of the account; the conversation becomes pending, the bot\'s to handle',
  })
  @IsOptional()
  @IsIn(['User', 'AgentBot'])
  assignee_type?: 'User' | 'AgentBot';
}

export class TypingRequest {
  @ApiProperty({ enum: ['on', 'off'] })
  @IsIn(['on', 'off'])
  typing_status: 'on' | 'off';

  @ApiPropertyOptional({ nullable: true, default: false })
  @IsOptional()
  @IsBoolean()
  is_private?: boolean;
}

export class UpdateMessageRequest {
  @ApiProperty({ enum: MESSAGE_STATUSES })
  @IsIn(MESSAGE_STATUSES)
  status: MessageStatus;

  @ApiPropertyOptional({
    nullable: true,
    description: 'Why delivery failed, shown to agents',
    maxLength: 1500,
  })
  @IsOptional()
  @IsString()
  @MaxLength(1500)
  external_error?: string;
}

/** Message ids are bigint; larger cursors would overflow in the database. */
export const MAX_MESSAGE_ID = Number.MAX_SAFE_INTEGER;

export class ListMessagesParams {
  @ApiPropertyOptional({ description: 'Messages older than this message id' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_MESSAGE_ID)
  before?: number;

  @ApiPropertyOptional({ description: 'Messages newer than this message id' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_MESSAGE_ID)
  after?: number;
}
