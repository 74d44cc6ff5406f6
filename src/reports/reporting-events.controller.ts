import { Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CurrentAccount, CurrentAuth } from '../accounts/index.js';
import type { AuthContext, Role } from '../accounts/index.js';
import { ApiProblems, ParseIdPipe } from '../common/index.js';
import { FindConversationQuery } from '../conversations/index.js';
import { ReportingEventsParams } from './dto/report.requests.js';
import { ReportingEventDto, ReportingEventsListDto } from './dto/report.responses.js';
import { ReportController } from './report-controller.decorator.js';
import { conversationReportingEvents, listReportingEvents } from './report.read-model.js';
import { readerOf } from './reports.controller.js';
import { requireAdministrator } from './reports.service.js';

const PER_PAGE = 25;

/** Chatwoot's reporting events: the measured intervals reports are made of. */
@ReportController('api/v1', '')
export class ReportingEventsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queries: QueryBus,
  ) {}

  @Get('reporting_events')
  @ApiOperation({
    summary: "The account's reporting events, oldest first, 25 a page (administrators)",
    description:
      'first_response, reply_time, conversation_resolved, conversation_opened (a reopen) and conversation_bot_handoff; values in seconds, and inside working hours. `conversation_id` is the display id.',
  })
  @ApiOkResponse({ type: ReportingEventsListDto })
  @ApiProblems(403, 422)
  async list(
    @CurrentAccount() account: { id: number; role: Role },
    @CurrentAuth() auth: AuthContext,
    @Query() params: ReportingEventsParams,
  ): Promise<ReportingEventsListDto> {
    requireAdministrator(readerOf(account, auth));
    const page = params.page ?? 1;
    const { count, rows } = await listReportingEvents(this.dataSource.manager, {
      accountId: account.id,
      since: params.since === undefined ? undefined : new Date(params.since * 1000),
      until: params.until === undefined ? undefined : new Date(params.until * 1000),
      inboxId: params.inbox_id,
      userId: params.user_id,
      name: params.name,
      page,
      perPage: PER_PAGE,
    });
    return {
      meta: { count, current_page: page, total_pages: Math.ceil(count / PER_PAGE) },
      payload: rows,
    };
  }

  @Get('conversations/:id/reporting_events')
  @ApiOperation({
    summary: "One conversation's reporting events, oldest first",
    description: 'Anyone who may see the conversation may read them.',
  })
  @ApiOkResponse({ type: [ReportingEventDto] })
  @ApiProblems(400)
  async conversation(
    @CurrentAccount() account: { id: number; role: Role },
    @CurrentAuth() auth: AuthContext,
    @Param('id', ParseIdPipe) displayId: number,
  ): Promise<ReportingEventDto[]> {
    const conversation = await this.queries.execute(
      new FindConversationQuery({
        accountId: account.id,
        displayId,
        viewer: { userId: auth.userId, role: account.role },
      }),
    );
    return conversationReportingEvents(this.dataSource.manager, conversation.id);
  }
}
