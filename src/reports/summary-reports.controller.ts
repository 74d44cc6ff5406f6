import { Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CurrentAccount, CurrentAuth } from '../accounts/index.js';
import type { AuthContext, Role } from '../accounts/index.js';
import { ApiProblems } from '../common/index.js';
import { BusinessHoursRangeParams, RangeParams } from './dto/report.requests.js';
import { CHANNEL_SUMMARY_SCHEMA, GroupSummaryDto } from './dto/report.responses.js';
import { ReportController } from './report-controller.decorator.js';
import { groupSummaries } from './report.read-model.js';
import { readerOf } from './reports.controller.js';
import {
  CHANNEL,
  rangeOf,
  ReportsService,
  requireAdministrator,
  SIX_MONTHS_SECONDS,
} from './reports.service.js';

const STATUSES = ['open', 'resolved', 'pending', 'snoozed'] as const;

/** Chatwoot's /api/v2/accounts/{account_id}/summary_reports: one row per agent, inbox, team. */
@ReportController('api/v2', 'summary_reports')
export class SummaryReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly dataSource: DataSource,
  ) {}

  @Get('agent')
  @ApiOperation({
    summary:
      'Per agent: conversations assigned (created in the range), resolutions and average times',
  })
  @ApiOkResponse({ type: [GroupSummaryDto] })
  @ApiProblems(403, 422)
  agent(
    @CurrentAccount() account: { id: number; role: Role },
    @CurrentAuth() auth: AuthContext,
    @Query() params: BusinessHoursRangeParams,
  ) {
    return this.summary(account, auth, 'agent', params);
  }

  @Get('inbox')
  @ApiOperation({
    summary: 'Per inbox: conversations created in the range, resolutions and average times',
  })
  @ApiOkResponse({ type: [GroupSummaryDto] })
  @ApiProblems(403, 422)
  inbox(
    @CurrentAccount() account: { id: number; role: Role },
    @CurrentAuth() auth: AuthContext,
    @Query() params: BusinessHoursRangeParams,
  ) {
    return this.summary(account, auth, 'inbox', params);
  }

  @Get('team')
  @ApiOperation({
    summary: 'Per team: conversations created in the range, resolutions and average times',
  })
  @ApiOkResponse({ type: [GroupSummaryDto] })
  @ApiProblems(403, 422)
  team(
    @CurrentAccount() account: { id: number; role: Role },
    @CurrentAuth() auth: AuthContext,
    @Query() params: BusinessHoursRangeParams,
  ) {
    return this.summary(account, auth, 'team', params);
  }

  @Get('channel')
  @ApiOperation({
    summary:
      'Conversations created in the range per channel type and current status (at most 6 months)',
  })
  @ApiResponse({
    status: 200,
    description: 'Per channel type (every Conversa inbox is Channel::Api)',
    content: { 'application/json': { schema: CHANNEL_SUMMARY_SCHEMA } },
  })
  @ApiProblems(403, 422)
  async channel(
    @CurrentAccount() account: { id: number; role: Role },
    @CurrentAuth() auth: AuthContext,
    @Query() params: RangeParams,
  ) {
    requireAdministrator(readerOf(account, auth));
    const range = rangeOf(params, SIX_MONTHS_SECONDS);
    const byStatus = await groupSummaries(this.dataSource.manager, {
      accountId: account.id,
      dimension: 'status',
      businessHours: false,
      ...range,
    });
    const counts = Object.fromEntries(
      STATUSES.map((status) => [status, byStatus.get(status)?.conversations_count ?? 0]),
    ) as Record<(typeof STATUSES)[number], number>;
    const total = STATUSES.reduce((sum, status) => sum + counts[status], 0);
    return { [CHANNEL]: { ...counts, total } };
  }

  private async summary(
    account: { id: number; role: Role },
    auth: AuthContext,
    dimension: 'agent' | 'inbox' | 'team',
    params: BusinessHoursRangeParams,
  ): Promise<GroupSummaryDto[]> {
    const rows = await this.reports.groupSummary(readerOf(account, auth), dimension, {
      ...rangeOf(params),
      businessHours: params.business_hours ?? false,
    });
    return rows.map(({ name: _name, ...row }) => row);
  }
}
