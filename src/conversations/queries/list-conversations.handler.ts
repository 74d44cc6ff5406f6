import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { buildFilterSql, escapeLike } from '../../common/index.js';
import type { FilterColumn } from '../../common/index.js';
import { ContactSql } from '../../contacts/index.js';
import { AccessibleInboxesQuery, ListInboxesQuery } from '../../inboxes/index.js';
import { loadConversationsByIds, toConversationResponse } from '../views.js';
import { CONVERSATIONS_PAGE_SIZE, ListConversationsQuery } from './list-conversations.query.js';
import type { ConversationCounts } from './list-conversations.query.js';

const FILTER_COLUMNS: Record<string, FilterColumn> = {
  status: { sql: 'c.status', type: 'text' },
  assignee_id: { sql: 'c.assignee_id', type: 'number' },
  inbox_id: { sql: 'c.inbox_id', type: 'number' },
  team_id: { sql: 'c.team_id', type: 'number' },
  priority: { sql: 'c.priority', type: 'text' },
  display_id: { sql: 'c.display_id', type: 'number' },
  labels: { sql: 'c.labels', type: 'text_array' },
  created_at: { sql: 'c.created_at', type: 'date' },
  last_activity_at: { sql: 'c.last_activity_at', type: 'date' },
  browser_language: { sql: "(c.additional_attributes ->> 'browser_language')", type: 'text' },
  conversation_language: {
    sql: "(c.additional_attributes ->> 'conversation_language')",
    type: 'text',
  },
  referer: { sql: "(c.additional_attributes ->> 'referer')", type: 'text' },
  country_code: { sql: "(c.additional_attributes ->> 'country_code')", type: 'text' },
  mail_subject: { sql: "(c.additional_attributes ->> 'mail_subject')", type: 'text' },
};

const SORTS: Record<string, string> = {
  last_activity_at_desc: 'c.last_activity_at DESC, c.id DESC',
  last_activity_at_asc: 'c.last_activity_at ASC, c.id ASC',
  created_at_desc: 'c.created_at DESC, c.id DESC',
  created_at_asc: 'c.created_at ASC, c.id ASC',
  priority_desc:
    "array_position(ARRAY['urgent','high','medium','low']::text[], c.priority) ASC NULLS LAST, c.last_activity_at DESC, c.id DESC",
  priority_asc:
    "array_position(ARRAY['urgent','high','medium','low']::text[], c.priority) DESC NULLS FIRST, c.last_activity_at DESC, c.id DESC",
  waiting_since_asc: 'c.waiting_since ASC NULLS LAST, c.id ASC',
  waiting_since_desc: 'c.waiting_since DESC NULLS LAST, c.id DESC',
};

@QueryHandler(ListConversationsQuery)
export class ListConversationsHandler implements IQueryHandler<ListConversationsQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queries: QueryBus,
  ) {}

  async execute({ accountId, viewer, filters }: ListConversationsQuery) {
    const params: unknown[] = [accountId];
    const bind = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    const where = ['c.account_id = $1'];
    // The live inboxes the viewer may see (an administrator: all live ones), as an id list: the
    // planner then uses the (account, status, last_activity) index, where a NOT EXISTS on
    // deleted inboxes made it scan and sort every open conversation. Conversations of inboxes
    // being deleted vanish at once.
    const visible = await this.queries.execute(new AccessibleInboxesQuery(accountId, viewer));
    const inboxes =
      visible === 'all'
        ? (await this.queries.execute(new ListInboxesQuery(accountId, viewer))).map(
            (inbox) => inbox.id,
          )
        : visible;
    where.push(`c.inbox_id = ANY(${bind(inboxes)}::int[])`);
    const status = filters.conditions ? 'all' : filters.q ? 'all' : (filters.status ?? 'open');
    if (status !== 'all') where.push(`c.status = ${bind(status)}`);
    if (filters.inboxId) where.push(`c.inbox_id = ${bind(filters.inboxId)}`);
    if (filters.teamId) where.push(`c.team_id = ${bind(filters.teamId)}`);
    if (filters.contactId) where.push(`c.contact_id = ${bind(filters.contactId)}`);
    if (filters.labels?.length) where.push(`c.labels @> ${bind(filters.labels)}::text[]`);
    if (filters.q) {
      const like = bind(`%${escapeLike(filters.q)}%`);
      const displayId = /^\d{1,9}$/.test(filters.q)
        ? `c.display_id = ${bind(Number(filters.q))} OR `
        : '';
      where.push(
        `(${displayId}${ContactSql.matches('c.contact_id', like)}
          OR EXISTS (SELECT 1 FROM messages qm WHERE qm.conversation_id = c.id AND qm.message_type IN (0, 1)
           AND qm.private = false AND qm.content ILIKE ${like}))`,
      );
    }
    if (filters.conditions)
      where.push(buildFilterSql(filters.conditions, FILTER_COLUMNS, 'c.custom_attributes', params));

    const base = where.join(' AND ');
    // The viewer's id is bound last, and only for the statements that use it.
    const me = `$${params.length + 1}`;
    const withMe = [...params, viewer.userId];
    // One pass, with as little work per row as possible (an index-only scan of every matching
    // conversation): count(assignee_id) counts the assigned ones, the rest are unassigned.
    const countsSql = `SELECT mine_count, assigned_count, all_count - assigned_count AS unassigned_count, all_count
         FROM (SELECT count(*) FILTER (WHERE c.assignee_id = ${me})::int AS mine_count,
                      count(c.assignee_id)::int AS assigned_count, count(*)::int AS all_count
                 FROM conversations c WHERE ${base}) counts`;

    const assignee = filters.assigneeType ?? 'all';
    const pageWhere =
      assignee === 'me'
        ? `${base} AND c.assignee_id = ${me}`
        : assignee === 'unassigned'
          ? `${base} AND c.assignee_id IS NULL`
          : assignee === 'assigned'
            ? `${base} AND c.assignee_id IS NOT NULL`
            : base;
    const order = SORTS[filters.sortBy ?? 'last_activity_at_desc'] ?? SORTS.last_activity_at_desc;
    const offset = ((filters.page ?? 1) - 1) * CONVERSATIONS_PAGE_SIZE;
    // The page's ids first, from conversations alone (an index in ORDER BY order when there is
    // one), then the views of those ids only: the view's joins and last-message and unread
    // subqueries run for the page's rows, never for the rows the planner would otherwise meet
    // before LIMIT.
    const pageIds = `SELECT c.id FROM conversations c WHERE ${pageWhere}
      ORDER BY ${order} LIMIT ${CONVERSATIONS_PAGE_SIZE} OFFSET ${offset}`;

    // One snapshot for the counts, the page and its views.
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      // No JIT, for this transaction only: filters such as q inflate the cost estimates past the
      // JIT threshold, and compiling took longer (100-400 ms) than running these statements.
      await manager.query(`SELECT set_config('jit', 'off', true)`);
      const [meta] = (await manager.query(countsSql, withMe)) as ConversationCounts[];
      if (filters.countsOnly) return { meta, payload: [] };
      const page = (await manager.query(pageIds, assignee === 'me' ? withMe : params)) as {
        id: number;
      }[];
      const rows = await loadConversationsByIds(
        manager,
        page.map((row) => row.id),
      );
      return { meta, payload: rows.map(toConversationResponse) };
    });
  }
}
