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

  /**
   * Sets the password of the user whose unexpired setup token hashes to `tokenHash`, and ends
   * the token, in one statement (so a token works once even under concurrent requests).
   */
  async usePasswordSetupToken(
    manager: EntityManager,
    tokenHash: string,
    passwordHash: string,
  ): Promise<{ id: number; email: string } | undefined> {
    const [rows] = (await manager.query(
      `UPDATE users SET password_hash = $2, password_setup_token_hash = NULL,
              password_setup_expires_at = NULL, updated_at = now()
        WHERE password_setup_token_hash = $1 AND password_setup_expires_at > now()
        RETURNING id, email`,
      [tokenHash, passwordHash],
    )) as [{ id: number; email: string }[], number];
    return rows[0];
  }

  /**
   * Replaces the setup token of a user `accountId` created without a password who has not set
   * one; false when there is no such user.
   */
  async replacePasswordSetupToken(
    manager: EntityManager,
    accountId: number,
    userId: number,
    setup: { hash: string; expiresAt: Date },
  ): Promise<boolean> {
    const [, changed] = (await manager.query(
      `UPDATE users SET password_setup_token_hash = $3, password_setup_expires_at = $4
        WHERE id = $1 AND created_by_account_id = $2 AND password_hash IS NULL
          AND password_setup_expires_at IS NOT NULL`,
      [userId, accountId, setup.hash, setup.expiresAt],
    )) as [unknown, number];
    return changed > 0;
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
  profileAccounts(
    userId: number,
  ): Promise<Pick<ProfileAccount, 'id' | 'name' | 'role' | 'availability' | 'auto_offline'>[]> {
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
