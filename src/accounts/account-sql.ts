/**
 * The accounts module's SQL read model for other modules' statements: the pieces of SQL that
 * read `accounts`, `users`, `account_users` and `teams` inside another module's query (the
 * conversation and message views), so a hot read stays one statement while only this module
 * names its tables and columns (scripts/check-sql-ownership.mjs). Aliases and expressions are
 * the caller's SQL.
 */
export const AccountSql = {
  /** `JOIN accounts <as>`: the account whose id is `accountId`. */
  joinAccount: (as: string, accountId: string): string =>
    `JOIN accounts ${as} ON ${as}.id = ${accountId}`,

  /** The joined account's name. */
  accountName: (as: string): string => `${as}.name`,

  /**
   * A message sender's JSON: one scalar subquery on the user `userId` with their availability
   * in the account `accountId`.
   */
  senderJson: (userId: string, accountId: string): string =>
    `(SELECT json_build_object('id', u.id, 'name', u.name,
        'available_name', coalesce(u.display_name, u.name), 'avatar_url', '', 'thumbnail', '',
        'availability_status', coalesce(au.availability, 'offline'), 'type', 'user')
        FROM users u LEFT JOIN account_users au ON au.user_id = u.id AND au.account_id = ${accountId}
        WHERE u.id = ${userId})`,

  /**
   * `LEFT JOIN users <user> ... account_users <membership>`: the agent `userId` (nullable) and
   * their membership in the account `accountId`.
   */
  leftJoinAgent: (user: string, membership: string, userId: string, accountId: string): string =>
    `LEFT JOIN users ${user} ON ${user}.id = ${userId}
  LEFT JOIN account_users ${membership} ON ${membership}.user_id = ${userId} AND ${membership}.account_id = ${accountId}`,

  /** The agent joined by `leftJoinAgent` as an assignee's JSON, NULL when there is none. */
  agentJson: (user: string, membership: string, accountId: string): string =>
    `CASE WHEN ${user}.id IS NULL THEN NULL ELSE json_build_object('id', ${user}.id, 'account_id', ${accountId},
      'name', ${user}.name, 'available_name', coalesce(${user}.display_name, ${user}.name), 'email', ${user}.email,
      'role', ${membership}.role, 'availability_status', coalesce(${membership}.availability, 'offline'),
      'auto_offline', coalesce(${membership}.auto_offline, true), 'confirmed', true, 'thumbnail', '', 'type', 'user') END`,

  /** `LEFT JOIN teams <as>`: the team `teamId` (nullable). */
  leftJoinTeam: (as: string, teamId: string): string =>
    `LEFT JOIN teams ${as} ON ${as}.id = ${teamId}`,

  /** The team joined by `leftJoinTeam` as JSON, NULL when there is none. */
  teamJson: (as: string): string =>
    `CASE WHEN ${as}.id IS NULL THEN NULL ELSE json_build_object('id', ${as}.id, 'name', ${as}.name,
      'description', ${as}.description, 'allow_auto_assign', ${as}.allow_auto_assign, 'account_id', ${as}.account_id) END`,
} as const;
