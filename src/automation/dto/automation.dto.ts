import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { NameField } from '../../common/index.js';
import { BUILT_IN_ATTRIBUTES, RULE_OPERATORS } from '../conditions.js';
import type { RuleCondition } from '../conditions.js';
import type { RuleAction } from '../entities/automation-rule.entity.js';
import {
  BUILT_IN_ACTIONS,
  RULE_EVENTS,
  UNSUPPORTED_ACTIONS,
  UNSUPPORTED_ATTRIBUTES,
} from '../rule-validation.js';

/** Documentation shapes: the contents are validated by validateRule, which names every problem. */
class ConditionDoc {
  @ApiProperty({
    example: 'content',
    description: `Chatwoot's condition names (${Object.keys(BUILT_IN_ATTRIBUTES).join(', ')}), a registered attribute, or a custom attribute with custom_attribute_type. private_note is Chatwoot's name for private. Refused: ${Object.keys(UNSUPPORTED_ATTRIBUTES).join(', ')} (Chatwoot Enterprise SLAs)`,
  })
  attribute_key: string;
  @ApiProperty({
    enum: RULE_OPERATORS,
    example: 'contains',
    description: 'days_before: the date is more than [n] days before today',
  })
  filter_operator: string;
  @ApiProperty({ type: 'array', items: {}, example: ['refund'] }) values: unknown[];
  @ApiPropertyOptional({
    enum: ['AND', 'OR', 'and', 'or'],
    nullable: true,
    description: 'Joins this condition to the next; left out (as on the last one) means AND',
  })
  query_operator?: string | null;
  @ApiPropertyOptional({
    enum: ['conversation_attribute', 'contact_attribute', ''],
    nullable: true,
    description:
      'For custom attributes; "" or null (as Chatwoot sends for built-in ones) otherwise',
  })
  custom_attribute_type?: string | null;
}

class ActionDoc {
  @ApiProperty({
    example: 'add_label',
    description: `${Object.keys(BUILT_IN_ACTIONS).join(', ')}, or a registered action. As in Chatwoot, assign_agent takes ["nil"] (unassign) and ["last_responding_agent"], assign_team [], ["nil"] or ["0"] (remove the team), change_priority ["nil"]. Refused at save, with the reason: ${Object.keys(UNSUPPORTED_ACTIONS).join(', ')}`,
  })
  action_name: string;
  @ApiProperty({ type: 'array', items: {}, example: ['billing'] }) action_params: unknown[];
}

export class CreateRuleRequest {
  @NameField({ example: 'Refunds to billing' })
  name: string;

  @ApiPropertyOptional({ nullable: true, maxLength: 1500 })
  @IsOptional()
  @IsString()
  @MaxLength(1500)
  description?: string;

  @ApiProperty({ enum: RULE_EVENTS })
  @IsString()
  @IsNotEmpty()
  event_name: string;

  @ApiPropertyOptional({
    type: [ConditionDoc],
    description:
      'Joined left to right with query_operator; AND binds tighter than OR. Default [] (every event of the kind)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  conditions?: RuleCondition[];

  @ApiProperty({ type: [ActionDoc], description: 'Run in order; may be empty, as in Chatwoot' })
  @IsArray()
  @ArrayMaxSize(20)
  actions: RuleAction[];

  @ApiPropertyOptional({ nullable: true, default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class UpdateRuleRequest {
  @NameField({ optional: true })
  name?: string;

  @ApiPropertyOptional({ nullable: true, maxLength: 1500 })
  @IsOptional()
  @IsString()
  @MaxLength(1500)
  description?: string;

  @ApiPropertyOptional({ enum: RULE_EVENTS })
  @IsOptional()
  @IsString()
  event_name?: string;

  @ApiPropertyOptional({ type: [ConditionDoc] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  conditions?: RuleCondition[];

  @ApiPropertyOptional({ type: [ActionDoc] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  actions?: RuleAction[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class DryRunRequest {
  @ApiProperty({ description: 'The conversation (display id) to test the rule against' })
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  conversation_id: number;
}

export class RunsParams {
  @ApiPropertyOptional({ description: 'Runs older than this run id' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  before?: number;

  @ApiPropertyOptional({ default: 50, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class PolicyRequest {
  @ApiPropertyOptional({ description: "The inbox's enable_auto_assignment" })
  @IsOptional()
  @IsBoolean()
  enable_auto_assignment?: boolean;

  @ApiPropertyOptional({ enum: ['round_robin', 'balanced'] })
  @IsOptional()
  @IsIn(['round_robin', 'balanced'])
  strategy?: 'round_robin' | 'balanced';

  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: 'Most open conversations per agent in this inbox (null: no limit)',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(10_000)
  capacity_in_inbox?: number | null;

  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: 'Most open conversations per agent in the whole account',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(10_000)
  capacity_overall?: number | null;

  @ApiPropertyOptional({ description: 'Also assign to agents who are busy or offline' })
  @IsOptional()
  @IsBoolean()
  include_offline_agents?: boolean;

  @ApiPropertyOptional({
    description: 'A reopened conversation keeps its assignee even when offline or full',
  })
  @IsOptional()
  @IsBoolean()
  keep_assignee_on_reopen?: boolean;
}
