import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { HttpUrlField, LIMITS } from '../../common/index.js';
import {
  DEFAULT_SUBSCRIPTIONS,
  NEVER_SENT_EVENTS,
  SUBSCRIBABLE_EVENTS,
} from '../webhooks.constants.js';

/** The names a subscription may hold: the live catalogue and Chatwoot's never-sent names. */
function isAcceptedEvent(name: unknown): boolean {
  return (
    typeof name === 'string' &&
    (SUBSCRIBABLE_EVENTS.includes(name) || NEVER_SENT_EVENTS.includes(name))
  );
}

/**
 * Each a subscribable event name, at most one of each. Checked against the live catalogue when
 * a request is validated: modules register their events as they load, after this file may have.
 */
function SubscribableEvents(): PropertyDecorator {
  const size = ValidateBy({
    name: 'arrayMaxSize',
    validator: {
      validate: (value) =>
        !Array.isArray(value) ||
        value.length <= SUBSCRIBABLE_EVENTS.length + NEVER_SENT_EVENTS.length,
      defaultMessage: () =>
        `must contain no more than ${SUBSCRIBABLE_EVENTS.length + NEVER_SENT_EVENTS.length} elements`,
    },
  });
  const names = ValidateBy({
    name: 'isIn',
    validator: {
      validate: (value) => !Array.isArray(value) || value.every(isAcceptedEvent),
      defaultMessage: () =>
        `each must be one of: ${[...SUBSCRIBABLE_EVENTS, ...NEVER_SENT_EVENTS].join(', ')}`,
    },
  });
  return (target, property) => {
    size(target, property);
    names(target, property);
  };
}

const NEVER_SENT_NOTE = `Also accepted: ${NEVER_SENT_EVENTS.join(', ')} (Chatwoot's web-widget event; Conversa has no web widget and never sends it).`;

export class CreateWebhookRequest {
  @HttpUrlField({ description: 'Where events are POSTed' })
  url: string;

  @ApiPropertyOptional({ nullable: true, maxLength: LIMITS.name })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.name)
  name?: string;

  @ApiPropertyOptional({
    enum: SUBSCRIBABLE_EVENTS,
    isArray: true,
    description: `Default (as in Chatwoot): ${DEFAULT_SUBSCRIPTIONS.join(', ')}. ${NEVER_SENT_NOTE}`,
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1, { message: 'must name at least one event' })
  @SubscribableEvents()
  subscriptions?: string[];

  @ApiPropertyOptional({ nullable: true, type: Number, description: "Only this inbox's events" })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  inbox_id?: number | null;
}

export class UpdateWebhookRequest {
  @HttpUrlField({ optional: true })
  url?: string;

  @ApiPropertyOptional({ nullable: true, maxLength: LIMITS.name })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.name)
  name?: string;

  @ApiPropertyOptional({
    nullable: true,
    enum: SUBSCRIBABLE_EVENTS,
    isArray: true,
    description: NEVER_SENT_NOTE,
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1, { message: 'must name at least one event' })
  @SubscribableEvents()
  subscriptions?: string[];

  @ApiPropertyOptional({ nullable: true, type: Number })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  inbox_id?: number | null;

  @ApiPropertyOptional({ description: 'true re-enables a disabled endpoint; false disables it' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class EndpointStateRequest {
  @ApiProperty({ description: 'true re-enables a disabled endpoint; false disables it' })
  @IsBoolean()
  enabled: boolean;
}

export class RecoverRequest {
  @ApiProperty({
    description: 'Re-send failed deliveries created at or after this time (ISO 8601)',
  })
  @IsDateString({}, { message: 'must be an ISO 8601 time like 2026-11-23T10:00:00Z' })
  since: string;
}

export class DeliveriesParams {
  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page (newest first)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  cursor?: string;

  @ApiPropertyOptional({ enum: ['pending', 'delivered', 'failed'] })
  @IsOptional()
  @IsIn(['pending', 'delivered', 'failed'])
  status?: 'pending' | 'delivered' | 'failed';

  @ApiPropertyOptional({ default: 50, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class EventsParams {
  @ApiPropertyOptional({
    description: 'Opaque cursor: events after it (oldest first); omit to start at the oldest kept',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  after?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  inbox_id?: number;

  @ApiPropertyOptional({ description: 'The conversation display id' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  conversation_id?: number;

  @ApiPropertyOptional({ default: 100, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
