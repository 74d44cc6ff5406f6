import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { ProfileAccount, TeamResponse } from './dto/responses.js';
import type { InvitationRow } from './queries/list-invitations.query.js';

/**
 * The accounts module's hand-written SQL, behind named methods (the repository calls stay in
 * the handlers). Writes take the unit of work's EntityManager so they join its transaction.
 * Other modules' statements read accounts, users and teams through AccountSql instead.
 */
@Injectable()
export class AccountStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Holds a transaction-scoped advisory lock on `key` (e.g. `user-email:<email>`), so
   * concurrent transactions that take the same key run one after the other.
   */
  async lock(manager: EntityManager, key: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
  }

  /** The user's email, lower-cased (the key of the `user-email:` lock). */
  async lowerEmailOf(manager: EntityManager, userId: number): Promise<string> {
    const [{ email }] = await manager.query(
      `SELECT lower(email) AS email FROM users WHERE id = $1`,
      [userId],
    );
    return email;
  }

  /** How many accounts other than `accountId` the user belongs to. */
  async otherMembershipCount(
    manager: EntityManager,
    userId: number,
    accountId: number,
  ): Promise<number> {
    const [{ others }] = await manager.query(
      `SELECT count(*)::int AS others FROM account_users WHERE user_id = $1 AND account_id <> $2`,
      [userId, accountId],
    );
    return others;
  }

  /** Removes the user from every team of the account. */
  async removeTeamMemberships(
    manager: EntityManager,
    accountId: number,
    userId: number,
  ): Promise<void> {
    await manager.query(
      `DELETE FROM team_members WHERE user_id = $1 AND team_id IN (SELECT id FROM teams WHERE account_id = $2)`,
      [userId, accountId],
    );
  }

  /** The accounts the user belongs to, with their membership, by account id. */
  profileAccounts(userId: number): Promise<Omit<ProfileAccount, 'availability_status'>[]> {
    return this.dataSource.query(
      `SELECT a.id, a.name, m.role, m.availability, m.auto_offline
         FROM account_users m JOIN accounts a ON a.id = m.account_id
        WHERE m.user_id = $1 ORDER BY a.id`,
      [userId],
    );
  }

  /** Whether the account has the team. */
  async teamExists(accountId: number, teamId: number): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM teams WHERE id = $1 AND account_id = $2`,
      [teamId, accountId],
    );
    return rows.length > 0;
  }

  /** Pending invitations of a user or of an account, optionally only the one `invitationId`. */
  invitations(
    scope: { userId: number } | { accountId: number },
    invitationId?: number,
  ): Promise<InvitationRow[]> {
    const [column, owner] =
      'userId' in scope ? ['i.user_id', scope.userId] : ['i.account_id', scope.accountId];
    return this.dataSource.query(
      `SELECT i.id, i.account_id, a.name AS account_name, i.email, i.role, i.availability,
              i.auto_offline, u.id AS invited_by_id, u.name AS invited_by_name, i.created_at
         FROM account_invitations i
         JOIN accounts a ON a.id = i.account_id
         LEFT JOIN users u ON u.id = i.invited_by_user_id
        WHERE ${column} = $1 AND ($2::int IS NULL OR i.id = $2)
        ORDER BY i.id`,
      [owner, invitationId ?? null],
    );
  }

  /** The account's teams (or only `teamId`), with whether `viewerId` is a member, by name. */
  teams(accountId: number, viewerId: number, teamId?: number): Promise<TeamResponse[]> {
    return this.dataSource.query(
      `SELECT t.id, t.account_id, t.name, t.description, t.allow_auto_assign,
              EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = t.id AND m.user_id = $2) AS is_member
         FROM teams t
        WHERE t.account_id = $1 AND ($3::integer IS NULL OR t.id = $3)
        ORDER BY t.name, t.id`,
      [accountId, viewerId, teamId ?? null],
    );
  }
}
