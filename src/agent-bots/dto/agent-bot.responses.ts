import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BOT_TYPES } from '../entities/agent-bot.entity.js';
import type { AgentBot } from '../entities/agent-bot.entity.js';

/** An agent bot (Chatwoot's agent_bot), with Conversa's signing secret. */
export class AgentBotResponse {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ description: 'The avatar URL; empty when none' }) thumbnail: string;
  @ApiProperty({ nullable: true, type: String }) avatar_url: string | null;
  @ApiProperty({ nullable: true, type: String }) outgoing_url: string | null;
  @ApiProperty({ enum: BOT_TYPES }) bot_type: string;
  @ApiProperty({ type: Object }) bot_config: Record<string, unknown>;
  @ApiProperty() account_id: number;
  @ApiProperty({ description: 'Always false: Conversa has no Platform API, so no system bots' })
  system_bot: boolean;
  @ApiPropertyOptional({
    description:
      'The access token (cvb_...): only in the answer that issued it (create, reset_access_token). Keep it; only its hash is stored.',
  })
  access_token?: string;
  @ApiProperty({ description: 'The first characters of the access token, to recognise it' })
  access_token_hint: string;
  @ApiProperty({
    description:
      'Signing secret (whsec_...) of the events sent to outgoing_url; verify webhook-signature with it',
  })
  secret: string;
}

export function toAgentBotResponse(
  bot: AgentBot,
  secret: string,
  accessToken?: string,
): AgentBotResponse {
  return {
    id: bot.id,
    name: bot.name,
    description: bot.description,
    thumbnail: bot.avatar_url ?? '',
    avatar_url: bot.avatar_url,
    outgoing_url: bot.outgoing_url,
    bot_type: BOT_TYPES[bot.bot_type] ?? 'webhook',
    bot_config: bot.bot_config,
    account_id: bot.account_id,
    system_bot: false,
    ...(accessToken ? { access_token: accessToken } : {}),
    access_token_hint: bot.access_token_hint,
    secret,
  };
}
