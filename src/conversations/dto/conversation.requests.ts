import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
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
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { AttributesField, LIMITS } from '../../common/index.js';
import { CONVERSATION_STATUSES, PRIORITIES } from '../entities/conversation.entity.js';
import type { ConversationStatus, Priority } from '../entities/conversation.entity.js';
import { CONTENT_TYPES, MESSAGE_STATUSES } from '../entities/message.entity.js';
import type { ContentType, MessageStatus } from '../entities/message.entity.js';

const MAX_ID = 2_147_483_647;

function toList(value: unknown): unknown {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value : [value];
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

  @ApiPropertyOptional({
    name: 'labels[]',
    type: [String],
    description: 'Conversations carrying all these labels',
  })
  @IsOptional()
  @Transform(({ value }) => toList(value))
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  'labels[]'?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Same as labels[]' })
  @IsOptional()
  @Transform(({ value }) => toList(value))
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
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

class InitialMessage {
  @ApiProperty({ maxLength: LIMITS.content })
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.content)
  content: string;
}

export class CreateConversationRequest {
  @ApiProperty()
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  inbox_id: number;

  @ApiPropertyOptional({ description: "The contact's source_id in the inbox (or give contact_id)" })
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

  @ApiPropertyOptional({ nullable: true, enum: ['open', 'pending', 'resolved'] })
  @IsOptional()
  @IsIn(['open', 'pending', 'resolved'])
  status?: 'open' | 'pending' | 'resolved';

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
    type: InitialMessage,
    description: 'A first outgoing message',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => InitialMessage)
  message?: InitialMessage;
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

  @ApiPropertyOptional({
    description: 'With status snoozed: unix seconds or an ISO 8601 time in the future',
    nullable: true,
    oneOf: [{ type: 'integer' }, { type: 'string', format: 'date-time' }],
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  // From the raw value: a @Type(() => Date) would already have read seconds as milliseconds.
  @Transform(({ obj }: { obj: Record<string, unknown> }) => {
    const value = obj.snoozed_until;
    return typeof value === 'number'
      ? new Date(value * 1000)
      : typeof value === 'string'
        ? new Date(value)
        : value;
  })
  @IsDate({ message: 'must be unix seconds or an ISO 8601 time, like 2030-01-31T09:00:00Z' })
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

export class CreateMessageRequest {
  @ApiPropertyOptional({ maxLength: LIMITS.content })
  @IsString()
  @MaxLength(LIMITS.content, { message: `must be at most ${LIMITS.content} characters` })
  content: string;

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

  @ApiPropertyOptional({ nullable: true, enum: CONTENT_TYPES, default: 'text' })
  @IsOptional()
  @IsIn(CONTENT_TYPES)
  content_type?: ContentType;

  @AttributesField({ nullable: true, optional: true })
  content_attributes?: Record<string, unknown>;

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
