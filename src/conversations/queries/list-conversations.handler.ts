import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { AttributeTypesQuery } from '../../custom-attributes/index.js';
import type { AttributeModel } from '../../custom-attributes/index.js';
import { AccessibleInboxesQuery, LiveInboxIdsQuery } from '../../inboxes/index.js';
import { conversationList, toConversationResponse } from '../conversation.read-model.js';
import { ListConversationsQuery } from './list-conversations.query.js';

@QueryHandler(ListConversationsQuery)
export class ListConversationsHandler implements IQueryHandler<ListConversationsQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queries: QueryBus,
  ) {}

  async execute({ accountId, viewer, filters }: ListConversationsQuery) {
    // The live inboxes the viewer may see (an administrator: all live ones), as an id list: the
    // planner then uses the (account, status, last_activity) index, where a NOT EXISTS on
    // deleted inboxes made it scan and sort every open conversation. Conversations of inboxes
    // being deleted vanish at once. Ids only: whole inboxes (with webhooks and limits) cost
    // three statements and a quarter of the list's allocations.
    const visible = await this.queries.execute(new AccessibleInboxesQuery(accountId, viewer));
    const inboxes =
      visible === 'all' ? await this.queries.execute(new LiveInboxIdsQuery(accountId)) : visible;
    const { meta, rows } = await conversationList(
      this.dataSource,
      accountId,
      viewer.userId,
      inboxes,
      filters,
      await this.customTypes(accountId, filters),
    );
    return { meta, payload: rows.map(toConversationResponse) };
  }

  /** How defined custom attributes compare, for the models the filter's conditions read. */
  private async customTypes(accountId: number, filters: ListConversationsQuery['filters']) {
    const conditions = filters.conditions ?? [];
    const types = async (model: AttributeModel, needed: boolean) =>
      needed ? this.queries.execute(new AttributeTypesQuery(accountId, model)) : {};
    return {
      conversation: await types('conversation_attribute', conditions.length > 0),
      contact: await types(
        'contact_attribute',
        conditions.some((condition) => condition.custom_attribute_type === 'contact_attribute'),
      ),
    };
  }
}
