/**
 * The inboxes module's SQL read model for other modules' statements: the pieces of SQL that read
 * `inboxes` inside another module's query (conversation views and look-ups), so a hot read stays
 * one statement while only this module names its table and columns
 * (scripts/check-sql-ownership.mjs). Aliases and expressions are the caller's SQL.
 */
export const InboxSql = {
  /** `JOIN inboxes <as>`: the inbox whose id is `inboxId`, deleted or not. */
  joinInbox: (as: string, inboxId: string): string => `JOIN inboxes ${as} ON ${as}.id = ${inboxId}`,

  /** `JOIN inboxes <as>`: the inbox whose id is `inboxId`, only while it is not deleted. */
  joinLiveInbox: (as: string, inboxId: string): string =>
    `JOIN inboxes ${as} ON ${as}.id = ${inboxId} AND ${as}.deleted_at IS NULL`,

  /** The joined inbox's name. */
  name: (as: string): string => `${as}.name`,

  /** The account id of the inbox `inboxId`, as a scalar subquery. */
  accountIdOf: (inboxId: string): string =>
    `(SELECT i.account_id FROM inboxes i WHERE i.id = ${inboxId})`,

  /**
   * `LEFT JOIN inboxes <as>`: the inbox `inboxId` when `condition` holds and it is not deleted.
   */
  leftJoinLiveInbox: (as: string, inboxId: string, condition: string): string =>
    `LEFT JOIN inboxes ${as} ON ${condition} AND ${as}.id = ${inboxId} AND ${as}.deleted_at IS NULL`,

  /** The joined inbox's webhook URL and secrets (Client API inboxes keep them on the inbox). */
  webhook: (as: string) => ({
    url: `${as}.webhook_url`,
    secret: `${as}.webhook_secret`,
    previousSecret: `${as}.webhook_previous_secret`,
    previousSecretExpiresAt: `${as}.webhook_previous_secret_expires_at`,
  }),

  /** `FROM inboxes <as> WHERE ...`: the live inboxes among `inboxIds` that have a webhook URL. */
  fromInboxesWithWebhook: (as: string, inboxIds: string): string =>
    `FROM inboxes ${as}
     WHERE ${as}.id IN (${inboxIds})
       AND ${as}.webhook_url IS NOT NULL AND ${as}.deleted_at IS NULL`,
} as const;
