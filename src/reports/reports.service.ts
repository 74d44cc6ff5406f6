import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { ListAgentsQuery, ListTeamsQuery } from '../accounts/index.js';
import type { AgentResponse, Role } from '../accounts/index.js';
import { ForbiddenError, NotFoundError, ValidationFailedError } from '../common/index.js';
import type { GroupSummaryDto, OutgoingMessagesCountDto } from './dto/report.responses.js';
import type { ReportParams, ReportType } from './dto/report.requests.js';
import { ListInboxesQuery } from '../inboxes/index.js';
import { ListLabelsQuery } from '../labels/index.js';
import { groupSummaries, summaryWithPrevious, timeseries } from './report.read-model.js';
import type { GroupSummary, ReportScope, TimeseriesPoint } from './report.read-model.js';

export interface Reader {
  accountId: number;
  userId: number;
  role: Role;
}

const WEEK_SECONDS = 7 * 86_400;
/** A time series has at most ~3 years of days (a year of weeks, months... is cheaper). */
const MAX_RANGE_SECONDS = 3 * 366 * 86_400;
/** Chatwoot's limit for the channel summary. */
export const SIX_MONTHS_SECONDS = 183 * 86_400;

export const CHANNEL = 'Channel::Api';

/** The range of a request: until defaults to now, since to a week before until. */
export function rangeOf(
  params: { since?: number; until?: number },
  maxSeconds = MAX_RANGE_SECONDS,
) {
  const until = params.until ?? Math.floor(Date.now() / 1000);
  const since = params.since ?? until - WEEK_SECONDS;
  if (since >= until)
    throw new ValidationFailedError([{ field: 'since', messages: ['must be before until'] }]);
  if (until - since > maxSeconds)
    throw new ValidationFailedError([
      {
        field: 'since',
        messages: [
          `the range may span at most ${Math.floor(maxSeconds / 86_400)} days; narrow since/until`,
        ],
      },
    ]);
  return { since: new Date(since * 1000), until: new Date(until * 1000) };
}

/** Who may read what: administrators the whole account, agents only their own agent report. */
export function requireAdministrator(reader: Reader): void {
  if (reader.role !== 'administrator')
    throw new ForbiddenError(
      'reports_administrators_only',
      'Only administrators may read account, inbox, team and label reports; an agent may read their own agent report (type=agent&id=<their user id>).',
    );
}

/**
 * The report operations above the read model: who may read what, which scope a request names,
 * and the lists of agents, inboxes and teams that summaries show (every one, even without data).
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queries: QueryBus,
  ) {}

  /** The dimension and key a report request names, checked against the reader's rights. */
  async scopeOf(reader: Reader, params: ReportParams): Promise<ReportScope> {
    const type: ReportType = params.type ?? 'account';
    const { since, until } = rangeOf(params);
    const businessHours = params.business_hours ?? params.enable_business_hours ?? false;
    const base = { accountId: reader.accountId, since, until, businessHours };
    if (type === 'account') {
      requireAdministrator(reader);
      return { ...base, dimension: 'account', key: String(reader.accountId) };
    }
    const id = params.id?.trim();
    if (!id)
      throw new ValidationFailedError([
        { field: 'id', messages: [`is required for type ${type}`] },
      ]);
    if (type === 'label') {
      requireAdministrator(reader);
      return { ...base, dimension: 'label', key: id };
    }
    if (!/^\d{1,9}$/.test(id))
      throw new ValidationFailedError([
        { field: 'id', messages: [`must be the ${type}'s numeric id`] },
      ]);
    const numeric = Number(id);
    if (type === 'agent') {
      if (reader.role !== 'administrator' && numeric !== reader.userId)
        requireAdministrator(reader);
      if ((await this.agents(reader.accountId, [numeric])).length === 0)
        throw new NotFoundError('agent_not_found', `Agent ${numeric} is not in this account.`);
    } else {
      requireAdministrator(reader);
      const known =
        type === 'inbox'
          ? (await this.inboxes(reader)).some((inbox) => inbox.id === numeric)
          : (await this.teams(reader)).some((team) => team.id === numeric);
      if (!known)
        throw new NotFoundError(
          `${type}_not_found`,
          `There is no ${type} ${numeric} in this account.`,
        );
    }
    return { ...base, dimension: type, key: String(numeric) };
  }

  series(scope: ReportScope, params: ReportParams): Promise<TimeseriesPoint[]> {
    return timeseries(
      this.dataSource.manager,
      scope,
      params.metric!,
      params.group_by ?? 'day',
      Math.round((params.timezone_offset ?? 0) * 3600),
    );
  }

  async summary(scope: ReportScope) {
    const { current, previous } = await summaryWithPrevious(this.dataSource.manager, scope);
    return { ...current, previous };
  }

  /** One row per agent, inbox or team of the account, in the range. */
  async groupSummary(
    reader: Reader,
    dimension: 'agent' | 'inbox' | 'team',
    range: { since: Date; until: Date; businessHours: boolean },
  ): Promise<(GroupSummaryDto & { name: string })[]> {
    requireAdministrator(reader);
    const [entities, sums] = await Promise.all([
      this.entities(reader, dimension),
      groupSummaries(this.dataSource.manager, { accountId: reader.accountId, dimension, ...range }),
    ]);
    return entities.map(({ id, name }) => ({ id, name, ...this.row(sums.get(String(id))) }));
  }

  private row(sum: GroupSummary | undefined) {
    const avg = (value: number | null | undefined) =>
      value === null || value === undefined ? null : Number(value);
    return {
      conversations_count: sum?.conversations_count ?? 0,
      resolved_conversations_count: sum?.resolved_conversations_count ?? 0,
      avg_resolution_time: avg(sum?.avg_resolution_time),
      avg_first_response_time: avg(sum?.avg_first_response_time),
      avg_reply_time: avg(sum?.avg_reply_time),
    };
  }

  /** Label rows: every label with data in the range, by name. */
  async labelSummary(reader: Reader, range: { since: Date; until: Date; businessHours: boolean }) {
    requireAdministrator(reader);
    const sums = await groupSummaries(this.dataSource.manager, {
      accountId: reader.accountId,
      dimension: 'label',
      ...range,
    });
    return [...sums.keys()].sort().map((name) => ({ name, ...this.row(sums.get(name)) }));
  }

  async outgoingMessages(
    reader: Reader,
    groupBy: 'agent' | 'team' | 'inbox' | 'label',
    range: { since: Date; until: Date },
  ): Promise<OutgoingMessagesCountDto[]> {
    requireAdministrator(reader);
    const sums = await groupSummaries(this.dataSource.manager, {
      accountId: reader.accountId,
      dimension: groupBy,
      businessHours: false,
      ...range,
    });
    const count = (key: string) => sums.get(key)?.outgoing_messages_count ?? 0;
    if (groupBy === 'label')
      return [...sums.keys()]
        .sort()
        .map((name) => ({ id: null, name, outgoing_messages_count: count(name) }));
    return (await this.entities(reader, groupBy)).map(({ id, name }) => ({
      id,
      name,
      outgoing_messages_count: count(String(id)),
    }));
  }

  async entities(
    reader: Reader,
    dimension: 'agent' | 'inbox' | 'team',
  ): Promise<{ id: number; name: string }[]> {
    if (dimension === 'agent')
      return (await this.agents(reader.accountId)).map((agent) => ({
        id: agent.id,
        name: agent.name,
      }));
    if (dimension === 'inbox') return this.inboxes(reader);
    return (await this.teams(reader)).map((team) => ({ id: team.id, name: team.name }));
  }

  agents(accountId: number, userIds?: number[]): Promise<AgentResponse[]> {
    return this.queries.execute(new ListAgentsQuery(accountId, userIds ? { userIds } : {}));
  }

  /** The account's inboxes (not deleted ones, which the projection still has data of). */
  async inboxes(reader: Reader): Promise<{ id: number; name: string }[]> {
    const inboxes = await this.queries.execute(
      new ListInboxesQuery(reader.accountId, { userId: reader.userId, role: reader.role }),
    );
    return inboxes.map((inbox) => ({ id: inbox.id, name: inbox.name }));
  }

  /** The account's labels (id and title), by title. */
  async labels(reader: Reader): Promise<{ id: number; title: string }[]> {
    const labels = await this.queries.execute(new ListLabelsQuery(reader.accountId));
    return labels.map((label) => ({ id: label.id, title: label.title }));
  }

  private teams(reader: Reader) {
    return this.queries.execute(new ListTeamsQuery(reader.accountId, reader.userId));
  }
}
