import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger';

export class TimeseriesPointDto {
  @ApiProperty({ description: 'The metric in the period (seconds for averages; 0 without data)' })
  value: number;
  @ApiProperty({ description: "The period's start, Unix seconds" }) timestamp: number;
  @ApiPropertyOptional({ description: 'Averages only: how many intervals were averaged' })
  count?: number;
}

export class SummaryDto {
  @ApiProperty() conversations_count: number;
  @ApiProperty() incoming_messages_count: number;
  @ApiProperty() outgoing_messages_count: number;
  @ApiProperty({ description: 'Seconds; 0 without data' }) avg_first_response_time: number;
  @ApiProperty({ description: 'Seconds; 0 without data' }) avg_resolution_time: number;
  @ApiProperty() resolutions_count: number;
  @ApiProperty({ description: 'Average reply time, seconds; 0 without data' }) reply_time: number;
}

export class AccountSummaryDto extends SummaryDto {
  @ApiProperty({ type: SummaryDto, description: 'The range of the same length just before' })
  previous: SummaryDto;
}

export class ConversationMetricsDto {
  @ApiProperty({ description: 'Open conversations now' }) open: number;
  @ApiProperty({ description: 'Open, and never answered or waiting for an answer' })
  unattended: number;
  @ApiProperty({ description: 'Open with no assignee' }) unassigned: number;
}

export class AgentLiveMetricDto {
  @ApiProperty() open: number;
  @ApiProperty() unattended: number;
}

export class AgentConversationMetricsDto {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty() thumbnail: string;
  @ApiProperty({ enum: ['online', 'busy', 'offline'] }) availability: string;
  @ApiProperty({ type: AgentLiveMetricDto }) metric: AgentLiveMetricDto;
}

export class GroupSummaryDto {
  @ApiProperty({ description: 'The agent, inbox or team id' }) id: number;
  @ApiProperty() conversations_count: number;
  @ApiProperty() resolved_conversations_count: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Seconds; null without data' })
  avg_resolution_time: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Seconds; null without data' })
  avg_first_response_time: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Seconds; null without data' })
  avg_reply_time: number | null;
}

export class MatrixInboxDto {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
}

export class MatrixLabelDto {
  @ApiProperty({
    nullable: true,
    type: Number,
    description:
      "The account label's id; null for a title used on conversations that is no longer an account label",
  })
  id: number | null;
  @ApiProperty() title: string;
}

export class InboxLabelMatrixDto {
  @ApiProperty({ type: [MatrixInboxDto] }) inboxes: MatrixInboxDto[];
  @ApiProperty({ type: [MatrixLabelDto] }) labels: MatrixLabelDto[];
  @ApiProperty({
    type: 'array',
    items: { type: 'array', items: { type: 'number' } },
    description:
      'matrix[i][j]: conversations created in the range in inboxes[i] carrying labels[j]',
  })
  matrix: number[][];
}

export class OutgoingMessagesCountDto {
  @ApiProperty({ nullable: true, type: Number, description: 'null for labels (they have no ids)' })
  id: number | null;
  @ApiProperty() name: string;
  @ApiProperty() outgoing_messages_count: number;
}

export class ReportingEventDto {
  @ApiProperty() id: number;
  @ApiProperty({
    enum: [
      'first_response',
      'reply_time',
      'conversation_resolved',
      'conversation_opened',
      'conversation_bot_handoff',
    ],
  })
  name: string;
  @ApiProperty({ description: 'Seconds' }) value: number;
  @ApiProperty({ description: "Seconds inside the inbox's working hours" })
  value_in_business_hours: number;
  @ApiProperty({ format: 'date-time' }) event_start_time: string;
  @ApiProperty({ format: 'date-time' }) event_end_time: string;
  @ApiProperty() account_id: number;
  @ApiProperty({ nullable: true, type: Number, description: "The conversation's display id" })
  conversation_id: number | null;
  @ApiProperty({ nullable: true, type: Number }) inbox_id: number | null;
  @ApiProperty({ nullable: true, type: Number }) user_id: number | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
}

export class ReportingEventsMetaDto {
  @ApiProperty() count: number;
  @ApiProperty() current_page: number;
  @ApiProperty() total_pages: number;
}

export class ReportingEventsListDto {
  @ApiProperty({ type: ReportingEventsMetaDto }) meta: ReportingEventsMetaDto;
  @ApiProperty({ type: [ReportingEventDto] }) payload: ReportingEventDto[];
}

const CHANNEL_COUNTS: SchemaObject = {
  type: 'object',
  properties: {
    open: { type: 'number' },
    resolved: { type: 'number' },
    pending: { type: 'number' },
    snoozed: { type: 'number' },
    total: { type: 'number' },
  },
  required: ['open', 'resolved', 'pending', 'snoozed', 'total'],
};

/** `{ "Channel::Api": { open, resolved, pending, snoozed, total } }` */
export const CHANNEL_SUMMARY_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: CHANNEL_COUNTS,
  example: { 'Channel::Api': { open: 5, resolved: 15, pending: 3, snoozed: 1, total: 24 } },
};

/** `{ "Channel::Api": { "0-1h": n, "1-4h": n, "4-8h": n, "8-24h": n, "24h+": n } }` */
export const FRT_DISTRIBUTION_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    properties: Object.fromEntries(
      ['0-1h', '1-4h', '4-8h', '8-24h', '24h+'].map((bucket) => [bucket, { type: 'number' }]),
    ),
    required: ['0-1h', '1-4h', '4-8h', '8-24h', '24h+'],
  },
  example: { 'Channel::Api': { '0-1h': 75, '1-4h': 40, '4-8h': 20, '8-24h': 10, '24h+': 5 } },
};
