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

  /**
   * The joined inbox's reply window in hours as its channel's additional_attributes set it
   * (Chatwoot's `agent_reply_time_window`): text, blank or null when there is none.
   */
  replyWindow: (as: string): string =>
    `(${as}.additional_attributes ->> 'agent_reply_time_window')`,
  /** The joined inbox's agent bot id (null: none). */
  agentBotId: (as: string): string => `${as}.agent_bot_id`,
} as const;
