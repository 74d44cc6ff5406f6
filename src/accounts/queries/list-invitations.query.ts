import { Query } from '@nestjs/cqrs';
import type { Availability, Role } from '../entities/account-user.entity.js';

export interface InvitationRow {
  id: number;
  account_id: number;
  account_name: string;
  email: string;
  role: Role;
  availability: Availability;
  auto_offline: boolean;
  invited_by_id: number | null;
  invited_by_name: string | null;
  created_at: Date;
}

/** Pending invitations: those sent to a user, or those an account sent. */
export class ListInvitationsQuery extends Query<InvitationRow[]> {
  constructor(
    readonly scope: { userId: number } | { accountId: number },
    readonly invitationId?: number,
  ) {
    super();
  }
}
