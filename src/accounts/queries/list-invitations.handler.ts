import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AccountStore } from '../account.store.js';
import { ListInvitationsQuery } from './list-invitations.query.js';
import type { InvitationRow } from './list-invitations.query.js';

@QueryHandler(ListInvitationsQuery)
export class ListInvitationsHandler implements IQueryHandler<ListInvitationsQuery> {
  constructor(private readonly store: AccountStore) {}

  execute({ scope, invitationId }: ListInvitationsQuery): Promise<InvitationRow[]> {
    return this.store.invitations(scope, invitationId);
  }
}
