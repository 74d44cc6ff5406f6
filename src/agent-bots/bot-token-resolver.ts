import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AgentBotTokens } from '../accounts/index.js';
import type { AgentBotCaller } from '../accounts/index.js';
import { inboxesOfAgentBot } from '../inboxes/index.js';
import { findBotByTokenHash } from './agent-bot.store.js';

/** Tells the access guard which bot an agent bot token belongs to, and the inboxes it reaches. */
@Injectable()
export class BotTokenResolver implements OnModuleInit {
  constructor(
    private readonly tokens: AgentBotTokens,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.tokens.use((hash) => this.resolve(hash));
  }

  private async resolve(tokenHash: string): Promise<AgentBotCaller | null> {
    const { manager } = this.dataSource;
    const bot = await findBotByTokenHash(manager, tokenHash);
    if (!bot) return null;
    return {
      id: bot.id,
      accountId: bot.account_id,
      inboxIds: await inboxesOfAgentBot(manager, bot.id),
    };
  }
}
