import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';

export class AuditLogParams {
  @ApiPropertyOptional({ default: 1, description: '15 entries a page, newest first' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  page?: number;
}

export class AuditLogDto {
  @ApiProperty() id: number;
  @ApiProperty({ nullable: true, type: Number, description: 'The id of what was acted on' })
  auditable_id: number | null;
  @ApiProperty({
    example: 'Team',
    description: 'What was acted on (Inbox, Agent, Team, Webhook, AutomationRule, ...)',
  })
  auditable_type: string;
  @ApiProperty({
    type: Object,
    description: 'Always {}: entries keep the request, not a copy of the record',
  })
  auditable: Record<string, never>;
  @ApiProperty({ description: 'The account' }) associated_id: number;
  @ApiProperty({ enum: ['Account'] }) associated_type: string;
  @ApiProperty({ nullable: true, type: Number }) user_id: number | null;
  @ApiProperty({ enum: ['User'] }) user_type: string;
  @ApiProperty({ nullable: true, type: String, description: "The administrator's email" })
  username: string | null;
  @ApiProperty({ enum: ['create', 'update', 'destroy'] }) action: string;
  @ApiProperty({
    type: Object,
    description:
      'The fields the request sent, secrets shown as [FILTERED]; `action` names a verb (clone, redeliver...)',
  })
  audited_changes: Record<string, unknown>;
  @ApiProperty({ enum: [1] }) version: number;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The route, e.g. PATCH /api/v1/accounts/{account_id}/teams/{id}',
  })
  comment: string | null;
  @ApiProperty({ description: 'The request id (x-request-id)' }) request_uuid: string;
  @ApiProperty({ description: 'Unix seconds' }) created_at: number;
  @ApiProperty({ nullable: true, type: String }) remote_address: string | null;
}

export class AuditLogListDto {
  @ApiProperty({ example: 15 }) per_page: number;
  @ApiProperty() total_entries: number;
  @ApiProperty() current_page: number;
  @ApiProperty({ type: [AuditLogDto] }) audit_logs: AuditLogDto[];
}
