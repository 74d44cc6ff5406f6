/**
 * The conversations module's SQL read model for other modules' statements: the pieces of SQL
 * that read `conversations` inside another module's query (the webhook delivery list), so it
 * stays one statement while only this module names its table (scripts/check-sql-ownership.mjs).
 */
export const ConversationSql = {
  /** `LEFT JOIN conversations <as>`: the conversation `conversationId` (nullable). */
  leftJoinConversation: (as: string, conversationId: string): string =>
    `LEFT JOIN conversations ${as} ON ${as}.id = ${conversationId}`,

  /** The joined conversation's agent bot assignee (null: none). */
  assigneeAgentBotId: (as: string): string => `${as}.assignee_agent_bot_id`,

  /** The joined conversation's display id (#n in its account). */
  displayId: (as: string): string => `${as}.display_id`,
} as const;
