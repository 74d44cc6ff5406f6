import type { EntityManager } from 'typeorm';
import { AgentBot } from './entities/agent-bot.entity.js';

/** The fields of a bot an API request sets (undefined: unchanged). */
export interface AgentBotFields {
  name?: string;
  description?: string | null;
  outgoingUrl?: string | null;
  botConfig?: Record<string, unknown>;
  avatarUrl?: string | null;
}

/** The in-process bot a bot's config names, if any. */
export function inProcessNameOf(botConfig: Record<string, unknown>): string | null {
  const name = botConfig.in_process;
  return typeof name === 'string' && name.trim() ? name.trim() : null;
}

/** Where a bot's events go: the in-process bot its config names, or its outgoing_url. */
export function endpointTarget(bot: AgentBot): { url: string | null } | { inProcess: string } {
  const inProcess = inProcessNameOf(bot.bot_config);
  return inProcess ? { inProcess } : { url: bot.outgoing_url };
}

export function findBot(
  manager: EntityManager,
  accountId: number,
  agentBotId: number,
): Promise<AgentBot | null> {
  return manager.getRepository(AgentBot).findOneBy({ id: agentBotId, account_id: accountId });
}

export function listBots(manager: EntityManager, accountId: number): Promise<AgentBot[]> {
  return manager
    .getRepository(AgentBot)
    .find({ where: { account_id: accountId }, order: { id: 'ASC' } });
}

export function findBotByTokenHash(
  manager: EntityManager,
  tokenHash: string,
): Promise<AgentBot | null> {
  return manager.getRepository(AgentBot).findOneBy({ access_token_hash: tokenHash });
}

export async function insertBot(
  manager: EntityManager,
  accountId: number,
  fields: AgentBotFields & { name: string },
  token: { hash: string; hint: string },
): Promise<AgentBot> {
  const now = new Date();
  return manager.getRepository(AgentBot).save({
    account_id: accountId,
    name: fields.name,
    description: fields.description ?? null,
    outgoing_url: fields.outgoingUrl ?? null,
    bot_type: 0,
    bot_config: fields.botConfig ?? {},
    avatar_url: fields.avatarUrl ?? null,
    access_token_hash: token.hash,
    access_token_hint: token.hint,
    created_at: now,
    updated_at: now,
  });
}

/** Applies the fields to the bot (locked for the rest of the transaction); null when none. */
export async function updateBot(
  manager: EntityManager,
  accountId: number,
  agentBotId: number,
  fields: AgentBotFields & { accessToken?: { hash: string; hint: string } },
): Promise<AgentBot | null> {
  const bots = manager.getRepository(AgentBot);
  const bot = await bots.findOne({
    where: { id: agentBotId, account_id: accountId },
    lock: { mode: 'pessimistic_write' },
  });
  if (!bot) return null;
  if (fields.name !== undefined) bot.name = fields.name;
  if (fields.description !== undefined) bot.description = fields.description;
  if (fields.outgoingUrl !== undefined) bot.outgoing_url = fields.outgoingUrl;
  if (fields.botConfig !== undefined) bot.bot_config = fields.botConfig;
  if (fields.avatarUrl !== undefined) bot.avatar_url = fields.avatarUrl;
  if (fields.accessToken) {
    bot.access_token_hash = fields.accessToken.hash;
    bot.access_token_hint = fields.accessToken.hint;
  }
  bot.updated_at = new Date();
  return bots.save(bot);
}

export async function deleteBot(
  manager: EntityManager,
  accountId: number,
  agentBotId: number,
): Promise<boolean> {
  const result = await manager
    .getRepository(AgentBot)
    .delete({ id: agentBotId, account_id: accountId });
  return (result.affected ?? 0) > 0;
}

export function findBotById(manager: EntityManager, agentBotId: number): Promise<AgentBot | null> {
  return manager.getRepository(AgentBot).findOneBy({ id: agentBotId });
}
