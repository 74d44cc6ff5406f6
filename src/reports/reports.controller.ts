import { Get, Header, Query, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { CurrentAccount, CurrentAuth } from '../accounts/index.js';
import type { AuthContext, Role } from '../accounts/index.js';
import { ApiProblems, ValidationFailedError } from '../common/index.js';
import {
  ConversationMetricsParams,
  InboxLabelMatrixParams,
  OutgoingMessagesParams,
  RangeParams,
  ReportParams,
} from './dto/report.requests.js';
import {
  AccountSummaryDto,
  AgentConversationMetricsDto,
  ConversationMetricsDto,
  FRT_DISTRIBUTION_SCHEMA,
  InboxLabelMatrixDto,
  OutgoingMessagesCountDto,
  TimeseriesPointDto,
} from './dto/report.responses.js';
import { ReportController } from './report-controller.decorator.js';
import { firstResponseDistribution, groupSummaries, liveCounts } from './report.read-model.js';
import { toCsv } from './csv.js';
import { CHANNEL, rangeOf, ReportsService, requireAdministrator } from './reports.service.js';
import type { Reader } from './reports.service.js';
import { renderChart } from './svg-chart.js';

const AGENTS_PER_PAGE = 25;

export function readerOf(account: { id: number; role: Role }, auth: AuthContext): Reader {
  return { accountId: account.id, userId: auth.userId, role: account.role };
}

const CSV_RESPONSE = {
  status: 200,
  description: 'CSV, one row per entity (durations in seconds)',
  content: { 'text/csv': { schema: { type: 'string' as const } } },
};

/** Chatwoot's /api/v2/accounts/{account_id}/reports: time series, summaries, live counts, CSV. */
@ReportController(
  'api/v2',
  'reports',
  TimeseriesPointDto,
  ConversationMetricsDto,
  AgentConversationMetricsDto,
)
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly dataSource: DataSource,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'A metric over time for the account, an agent, inbox, team or label',
    description:
      "One point per day, week (from Monday), month or year of the range, in the reader's zone (timezone_offset). Counts are conversations created, messages sent and resolutions in each period; averages are seconds (with `count`). Read from hourly rollups, so since/until count by the hour. format=svg answers the series drawn as a chart. Agents may read their own agent report only.",
  })
  @ApiResponse({
    status: 200,
    description: 'The series (JSON), or with format=svg a bar chart',
    content: {
      'application/json': {
        schema: { type: 'array', items: { $ref: getSchemaPath(TimeseriesPointDto) } },
      },
      'image/svg+xml': { schema: { type: 'string' } },
    },
  })
  @ApiProblems(403, 422)
  async series(
    @CurrentAccount() account: { id: number; role: Role },
    @CurrentAuth() auth: AuthContext,
    @Query() params: ReportParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (!params.metric)
      throw new ValidationFailedError([{ field: 'metric', messages: ['is required'] }]);
    const scope = await this.reports.scopeOf(readerOf(account, auth), params);
    const points = await this.reports.series(scope, params);
    if (params.format !== 'svg') return points;
    void reply.header('content-type', 'image/svg+xml; charset=utf-8');
    return renderChart(points, {
      title: `${params.metric} · ${scope.dimension}${scope.dimension === 'account' ? '' : ` ${scope.key}`} · by ${params.group_by ?? 'day'}`,
      duration: params.metric.startsWith('avg_') || params.metric === 'reply_time',
      offsetSeconds: Math.round((params.timezone_offset ?? 0) * 3600),
    });
  }

  @Get('summary')
  @ApiOperation({
    summary: 'Totals and averages of a range, and of the range of the same length before it',
  })
  @ApiOkResponse({ type: AccountSummaryDto })
  @ApiProblems(403, 422)
  async summary(
    @CurrentAccount() account: { id: number; role: Role },
    @CurrentAuth() auth: AuthContext,
    @Query() params: ReportParams,
  ): Promise<AccountSummaryDto> {
    return this.reports.summary(await this.reports.scopeOf(readerOf(account, auth), params));
  }

  @Get('conversations')
  @ApiOperation({
    summary:
      'Open, unattended and unassigned conversations now (type=account), or per agent (type=agent)',
    description:
      'type=account answers an object; type=agent an array of agents (25 a page, most open first). An agent sees only their own row.',
  })
  @ApiResponse({
    status: 200,
    description: 'type=account: the counts; type=agent: one entry per agent',
    content: {
      'application/json': {
        schema: {
          oneOf: [
            { $ref: getSchemaPath(ConversationMetricsDto) },
            { type: 'array', items: { $ref: getSchemaPath(AgentConversationMetricsDto) } },
          ],
        },
      },
    },
  })
  @ApiProblems(403, 422)
  async conversations(
    @CurrentAccount() account: { id: number; role: Role },
    @CurrentAuth() auth: AuthContext,
    @Query() params: ConversationMetricsParams,
  ): Promise<ConversationMetricsDto | AgentConversationMetricsDto[]> {
    const reader = readerOf(account, auth);
    const manager = this.dataSource.manager;
    if ((params.type ?? 'account') === 'account') {
      requireAdministrator(reader);
      const counts = await liveCounts(manager, account.id);
      let open = 0;
      let unattended = 0;
      for (const row of counts.values()) {
        open += row.open;
        unattended += row.unattended;
      }
      return { open, unattended, unassigned: counts.get(null)?.open ?? 0 };
    }
    const only = reader.role === 'administrator' ? params.user_id : auth.userId;
    if (reader.role !== 'administrator' && params.user_id && params.user_id !== auth.userId)
      requireAdministrator(reader);
    const agents = await this.reports.agents(account.id, only ? [only] : undefined);
    const counts = await liveCounts(
      manager,
      account.id,
      agents.map((agent) => agent.id),
    );
    const page = params.page ?? 1;
    return agents
      .map((agent) => ({
        id: agent.id,
        name: agent.name,
        email: agent.email,
        thumbnail: agent.thumbnail,
        availability: agent.availability_status,
        metric: {
          open: counts.get(agent.id)?.open ?? 0,
          unattended: counts.get(agent.id)?.unattended ?? 0,
        },
      }))
      .sort((a, b) => b.metric.open - a.metric.open || a.id - b.id)
      .slice((page - 1) * AGENTS_PER_PAGE, page * AGENTS_PER_PAGE);
  }

  @Get('first_response_time_distribution')
  @ApiOperation({
    summary: 'How many first responses of the range took 0-1 h, 1-4 h, 4-8 h, 8-24 h, over 24 h',
  })
  @ApiResponse({
    status: 200,
    description: 'Per channel type (every Conversa inbox is Channel::Api)',
    content: { 'application/json': { schema: FRT_DISTRIBUTION_SCHEMA } },
  })
  @ApiProblems(403, 422)
  async firstResponseTimeDistribution(
    @CurrentAccount() account: { id: number; role: Role },
    @CurrentAuth() auth: AuthContext,
    @Query() params: RangeParams,
  ) {
    requireAdministrator(readerOf(account, auth));
    const { since, until } = rangeOf(params);
    return {
      [CHANNEL]: await firstResponseDistribution(this.dataSource.manager, account.id, since, until),
    };
  }

  @Get('inbox_label_matrix')
  @ApiOperation({
    summary: 'Conversations created in the range per inbox and label',
  })
  @ApiOkResponse({ type: InboxLabelMatrixDto })
  @ApiProblems(403, 422)
  async inboxLabelMatrix(
    @CurrentAccount() account: { id: number; role: Role },
    @CurrentAuth() auth: AuthContext,
    @Query() params: InboxLabelMatrixParams,
  ): Promise<InboxLabelMatrixDto> {
    const reader = readerOf(account, auth);
    requireAdministrator(reader);
    const { since, until } = rangeOf(params);
    const only = params.inbox_ids;
    const inboxes = (await this.reports.inboxes(reader)).filter(
      (inbox) => !only || only.includes(inbox.id),
    );
    const cells = await groupSummaries(this.dataSource.manager, {
      accountId: account.id,
      dimension: 'inbox_label',
      since,
      until,
      businessHours: false,
    });
    const counts = new Map<string, number>();
    const used = new Set<string>();
    for (const [key, row] of cells) {
      const split = key.indexOf(':');
      const label = key.slice(split + 1);
      if (row.conversations_count > 0) used.add(label);
      counts.set(key, row.conversations_count);
    }
    const accountLabels = await this.reports.labels(reader);
    const idOf = new Map(accountLabels.map((label) => [label.title, label.id]));
    const onlyLabels = params.label_ids;
    // Named labels are listed even without conversations, as Chatwoot lists its labels;
    // otherwise the titles the range's conversations carry.
    const titles = onlyLabels
      ? accountLabels.filter((label) => onlyLabels.includes(label.id)).map((label) => label.title)
      : [...used].sort();
    return {
      inboxes,
      labels: titles.map((title) => ({ id: idOf.get(title) ?? null, title })),
      matrix: inboxes.map((inbox) =>
        titles.map((title) => counts.get(`${inbox.id}:${title}`) ?? 0),
      ),
    };
  }

  @Get('outgoing_messages_count')
  @ApiOperation({ summary: 'Outgoing messages of the range per agent, team, inbox or label' })
  @ApiOkResponse({ type: [OutgoingMessagesCountDto] })
  @ApiProblems(403, 422)
  outgoingMessagesCount(
    @CurrentAccount() account: { id: number; role: Role },
    @CurrentAuth() auth: AuthContext,
    @Query() params: OutgoingMessagesParams,
  ): Promise<OutgoingMessagesCountDto[]> {
    return this.reports.outgoingMessages(
      readerOf(account, auth),
      params.group_by ?? 'agent',
      rangeOf(params),
    );
  }

  @Get('agents')
  @ApiOperation({ summary: 'The agent summary as CSV (Chatwoot: agents_report.csv)' })
  @ApiProduces('text/csv')
  @ApiResponse(CSV_RESPONSE)
  @ApiProblems(403, 422)
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('content-disposition', 'attachment; filename=agents_report.csv')
  agentsCsv(
    @CurrentAccount() account: { id: number; role: Role },
    @CurrentAuth() auth: AuthContext,
    @Query() params: RangeParams,
  ) {
    return this.csv(readerOf(account, auth), 'agent', params);
  }

  @Get('inboxes')
  @ApiOperation({ summary: 'The inbox summary as CSV (Chatwoot: inboxes_report.csv)' })
  @ApiProduces('text/csv')
  @ApiResponse(CSV_RESPONSE)
  @ApiProblems(403, 422)
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('content-disposition', 'attachment; filename=inboxes_report.csv')
  inboxesCsv(
    @CurrentAccount() account: { id: number; role: Role },
    @CurrentAuth() auth: AuthContext,
    @Query() params: RangeParams,
  ) {
    return this.csv(readerOf(account, auth), 'inbox', params);
  }

  @Get('teams')
  @ApiOperation({ summary: 'The team summary as CSV (Chatwoot: teams_report.csv)' })
  @ApiProduces('text/csv')
  @ApiResponse(CSV_RESPONSE)
  @ApiProblems(403, 422)
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('content-disposition', 'attachment; filename=teams_report.csv')
  teamsCsv(
    @CurrentAccount() account: { id: number; role: Role },
    @CurrentAuth() auth: AuthContext,
    @Query() params: RangeParams,
  ) {
    return this.csv(readerOf(account, auth), 'team', params);
  }

  @Get('labels')
  @ApiOperation({ summary: 'The label summary as CSV (Chatwoot: labels_report.csv)' })
  @ApiProduces('text/csv')
  @ApiResponse(CSV_RESPONSE)
  @ApiProblems(403, 422)
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('content-disposition', 'attachment; filename=labels_report.csv')
  async labelsCsv(
    @CurrentAccount() account: { id: number; role: Role },
    @CurrentAuth() auth: AuthContext,
    @Query() params: RangeParams,
  ) {
    const rows = await this.reports.labelSummary(readerOf(account, auth), {
      ...rangeOf(params),
      businessHours: false,
    });
    return toCsv(
      rows.map((row) => ({ ...row, id: '' })),
      'Label',
    );
  }

  private async csv(reader: Reader, dimension: 'agent' | 'inbox' | 'team', params: RangeParams) {
    const rows = await this.reports.groupSummary(reader, dimension, {
      ...rangeOf(params),
      businessHours: false,
    });
    return toCsv(rows, dimension === 'agent' ? 'Agent' : dimension === 'inbox' ? 'Inbox' : 'Team');
  }
}
