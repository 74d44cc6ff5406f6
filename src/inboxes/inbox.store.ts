import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PreparedQuery } from '../database/index.js';
import type { Inbox } from './entities/inbox.entity.js';

/** Every Client API request looks its inbox up this way. */
const BY_IDENTIFIER = new PreparedQuery<Inbox>(
  'inbox_by_identifier',
  `SELECT * FROM inboxes WHERE identifier = $1 AND deleted_at IS NULL`,
);

/** Every conversation list of an administrator reads these. */
const LIVE_IDS = new PreparedQuery<{ id: number }>(
  'live_inbox_ids',
  `SELECT id FROM inboxes WHERE account_id = $1 AND deleted_at IS NULL ORDER BY id`,
);

/**
 * The inboxes module's hand-written SQL, behind named methods (the repository calls stay in
 * the handlers). Other modules' statements read inboxes through InboxSql instead.
 */
@Injectable()
export class InboxStore {
  constructor(private readonly dataSource: DataSource) {}

  /** The live inbox with this Client API identifier (a prepared statement: the hot path). */
  findByIdentifier(identifier: string): Promise<Inbox | undefined> {
    return BY_IDENTIFIER.first(this.dataSource, [identifier]);
  }

  /** The member user ids of a live inbox of the account, or undefined if there is no such inbox. */
  async memberIds(accountId: number, inboxId: number): Promise<number[] | undefined> {
    const rows: { user_id: number | null }[] = await this.dataSource.query(
      `SELECT m.user_id FROM inboxes i LEFT JOIN inbox_members m ON m.inbox_id = i.id
        WHERE i.id = $1 AND i.account_id = $2 AND i.deleted_at IS NULL ORDER BY m.user_id`,
      [inboxId, accountId],
    );
    if (rows.length === 0) return undefined;
    return rows.flatMap((row) => (row.user_id === null ? [] : [row.user_id]));
  }

  /** The ids of the account's live inboxes the user is a member of. */
  /** Ids of the account's live inboxes (a prepared statement: every administrator's list). */
  async liveIds(accountId: number): Promise<number[]> {
    return (await LIVE_IDS.rows(this.dataSource, [accountId])).map((row) => row.id);
  }

  async idsOfMember(accountId: number, userId: number): Promise<number[]> {
    const rows: { id: number }[] = await this.dataSource.query(
      `SELECT i.id FROM inboxes i JOIN inbox_members m ON m.inbox_id = i.id
        WHERE i.account_id = $1 AND m.user_id = $2 AND i.deleted_at IS NULL`,
      [accountId, userId],
    );
    return rows.map((row) => row.id);
  }

  /** Inboxes whose deletion started (and has not finished). */
  deleting(): Promise<{ id: number; account_id: number }[]> {
    return this.dataSource.query(`SELECT id, account_id FROM inboxes WHERE deleted_at IS NOT NULL`);
  }

  /** Removes the user from every inbox of the account. */
  async removeMemberships(accountId: number, userId: number): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM inbox_members WHERE user_id = $1 AND inbox_id IN (SELECT id FROM inboxes WHERE account_id = $2)`,
      [userId, accountId],
    );
  }
}
