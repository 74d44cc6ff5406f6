import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { MAX_ID } from '../../common/index.js';
import { GROUP_BYS, METRICS } from '../report.read-model.js';
import type { GroupBy, Metric } from '../report.read-model.js';

export const REPORT_TYPES = ['account', 'agent', 'inbox', 'team', 'label'] as const;
export type ReportType = (typeof REPORT_TYPES)[number];

/** Unix seconds up to the year 2100. */
const MAX_SECONDS = 4_102_444_800;

/** `true`/`false` as query strings (Rails casts "1", "0" as well). */
const toBoolean = Transform(({ value }: { value: unknown }) =>
  value === 'true' || value === '1' || value === true
    ? true
    : value === 'false' || value === '0' || value === false
      ? false
      : value,
);

/** since / until: Unix seconds (Chatwoot sends them as strings). */
export class RangeParams {
  @ApiPropertyOptional({
    description:
      'Start of the range, Unix seconds (rounded down to the hour); default: until − 7 days',
    example: '1767225600',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_SECONDS)
  since?: number;

  @ApiPropertyOptional({
    description: 'End of the range (exclusive), Unix seconds; default: now',
    example: '1769904000',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_SECONDS)
  until?: number;
}

export class BusinessHoursRangeParams extends RangeParams {
  @ApiPropertyOptional({
    type: Boolean,
    description: "Times counted only within the inboxes' working hours",
  })
  @IsOptional()
  @toBoolean
  @IsIn([true, false], { message: 'must be true or false' })
  business_hours?: boolean;
}

export class ReportParams extends BusinessHoursRangeParams {
  @ApiPropertyOptional({ enum: METRICS, description: 'Required by GET /reports' })
  @IsOptional()
  @IsIn(METRICS)
  metric?: Metric;

  @ApiPropertyOptional({ enum: REPORT_TYPES, default: 'account' })
  @IsOptional()
  @IsIn(REPORT_TYPES)
  type?: ReportType;

  @ApiPropertyOptional({
    description:
      'The agent, inbox or team id (type agent, inbox, team), or the label name (type label)',
    example: '1',
  })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  id?: string;

  @ApiPropertyOptional({ enum: GROUP_BYS, default: 'day' })
  @IsOptional()
  @IsIn(GROUP_BYS)
  group_by?: GroupBy;

  @ApiPropertyOptional({
    description:
      "The reader's UTC offset in hours (-12 to 14, e.g. 5.5); periods are days, weeks... there",
    example: '-5',
  })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-12)
  @Max(14)
  timezone_offset?: number;

  @ApiPropertyOptional({
    type: Boolean,
    description: "Chatwoot's older name of business_hours",
  })
  @IsOptional()
  @toBoolean
  @IsIn([true, false], { message: 'must be true or false' })
  enable_business_hours?: boolean;

  @ApiPropertyOptional({
    enum: ['json', 'svg'],
    default: 'json',
    description: 'svg: the series drawn as a chart',
  })
  @IsOptional()
  @IsIn(['json', 'svg'])
  format?: 'json' | 'svg';
}

export class ConversationMetricsParams {
  @ApiPropertyOptional({ enum: ['account', 'agent'], default: 'account' })
  @IsOptional()
  @IsIn(['account', 'agent'])
  type?: 'account' | 'agent';

  @ApiPropertyOptional({ description: 'type agent: only this agent', example: '1' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  user_id?: number;

  @ApiPropertyOptional({ default: 1, description: 'type agent: 25 agents a page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  page?: number;
}

export class OutgoingMessagesParams extends RangeParams {
  @ApiPropertyOptional({ enum: ['agent', 'team', 'inbox', 'label'], default: 'agent' })
  @IsOptional()
  @IsIn(['agent', 'team', 'inbox', 'label'])
  group_by?: 'agent' | 'team' | 'inbox' | 'label';
}

function toIds(value: unknown): unknown {
  const list = Array.isArray(value) ? value : String(value).split(',');
  return list.map((item) => (/^\d{1,10}$/.test(String(item)) ? Number(item) : item));
}

/** An optional list of ids in a query string: `name[]=1&name[]=2` or `name=1,2`. */
function IdList(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: [Number], description }),
    IsOptional(),
    Transform(({ value }: { value: unknown }) => toIds(value)),
    IsInt({ each: true }),
    Min(1, { each: true }),
    Max(MAX_ID, { each: true }),
  );
}

export class InboxLabelMatrixParams extends RangeParams {
  @IdList('Only these inboxes (inbox_ids[]=1&inbox_ids[]=2 or 1,2)')
  inbox_ids?: number[];

  @IdList(
    'Only these labels (label_ids[]=1&label_ids[]=2 or 1,2), each listed even without conversations',
  )
  label_ids?: number[];
}

export class ReportingEventsParams extends RangeParams {
  @ApiPropertyOptional({ default: 1, description: '25 events a page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  page?: number;

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
  user_id?: number;

  @ApiPropertyOptional({
    enum: [
      'first_response',
      'reply_time',
      'conversation_resolved',
      'conversation_opened',
      'conversation_bot_handoff',
    ],
  })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z_]{1,40}$/)
  name?: string;
}
