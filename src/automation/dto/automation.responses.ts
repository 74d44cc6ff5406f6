import { ApiProperty } from '@nestjs/swagger';
import { RULE_EVENTS } from '../rule-validation.js';

const CONDITION = {
  type: 'object',
  properties: {
    attribute_key: { type: 'string' },
    filter_operator: { type: 'string' },
    values: { type: 'array', items: {} },
    query_operator: { type: ['string', 'null'], enum: ['AND', 'OR', null] },
  },
  required: ['attribute_key', 'filter_operator', 'values'],
};

const ACTION = {
  type: 'object',
  properties: { action_name: { type: 'string' }, action_params: { type: 'array', items: {} } },
  required: ['action_name', 'action_params'],
};

export class RuleResponse {
  @ApiProperty() id: number;
  @ApiProperty() account_id: number;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ enum: RULE_EVENTS }) event_name: string;
  @ApiProperty({
    type: 'array',
    items: CONDITION,
    example: [{ attribute_key: 'content', filter_operator: 'contains', values: ['refund'] }],
  })
  conditions: unknown[];
  @ApiProperty({
    type: 'array',
    items: ACTION,
    example: [{ action_name: 'add_label', action_params: ['billing'] }],
  })
  actions: unknown[];
  @ApiProperty() active: boolean;
  @ApiProperty({ description: 'Unix seconds (Chatwoot)' }) created_on: number;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class RuleAnswer {
  @ApiProperty({ type: RuleResponse }) payload: RuleResponse;
}

export class RuleListAnswer {
  @ApiProperty({ type: [RuleResponse] }) payload: RuleResponse[];
}

export class RunResponse {
  @ApiProperty() id: number;
  @ApiProperty() event_name: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) event_id: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Internal conversation id' })
  conversation_id: number | null;
  @ApiProperty() matched: boolean;
  @ApiProperty({ description: 'Which conditions held or failed, in words' }) reason: string;
  @ApiProperty({ type: 'array', items: ACTION, description: 'The actions run' })
  actions: unknown[];
  @ApiProperty({ type: 'array', items: {}, description: 'Actions that failed, and why' })
  errors: unknown[];
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

class RunsMeta {
  @ApiProperty() has_more: boolean;
}

export class RunsAnswer {
  @ApiProperty({ type: [RunResponse], description: 'Newest first' }) payload: RunResponse[];
  @ApiProperty({ type: RunsMeta }) meta: RunsMeta;
}

export class DryRunAnswer {
  @ApiProperty() matched: boolean;
  @ApiProperty({ example: 'content contains "refund"' }) reason: string;
  @ApiProperty({
    type: 'array',
    items: ACTION,
    description: 'What would run (none unless matched)',
  })
  actions: unknown[];
}

export class PolicyResponse {
  @ApiProperty() inbox_id: number;
  @ApiProperty() enable_auto_assignment: boolean;
  @ApiProperty({ enum: ['round_robin', 'balanced'] }) strategy: string;
  @ApiProperty({ nullable: true, type: Number }) capacity_in_inbox: number | null;
  @ApiProperty({ nullable: true, type: Number }) capacity_overall: number | null;
  @ApiProperty() include_offline_agents: boolean;
  @ApiProperty() keep_assignee_on_reopen: boolean;
}
