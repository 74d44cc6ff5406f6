import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import {
  AttributesField,
  HttpUrlField,
  isFormBody,
  MAX_ID,
  NameField,
} from '../../common/index.js';

const DESCRIPTION_LIMIT = 1_500;

/** Chatwoot sends bot_type as its integer code (0) or its name. */
const BOT_TYPE_VALUES = [0, 'webhook'] as const;

/** A form carries every value as text: its `bot_type=0` is the code 0 (JSON keeps its types). */
const botTypeFromForm = ({ value, obj }: { value: unknown; obj: object }): unknown =>
  isFormBody(obj) && value === '0' ? 0 : value;

const BOT_CONFIG_DESCRIPTION =
  'Free-form settings of the bot. Conversa reads one key: `in_process`, the name of a bot registered in code (docs/extending.md); its events then go to that bot instead of outgoing_url.';

export class CreateAgentBotRequest {
  @NameField({ description: 'The name contacts and agents see', example: 'FAQ bot' })
  name: string;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: DESCRIPTION_LIMIT })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(DESCRIPTION_LIMIT)
  description?: string | null;

  @HttpUrlField({
    optional: true,
    nullable: true,
    description:
      "Where the bot's events are POSTed, signed per Standard Webhooks with the bot's `secret`. Private, loopback and link-local addresses are refused (422 webhook_url_not_allowed).",
  })
  outgoing_url?: string | null;

  @ApiPropertyOptional({
    enum: BOT_TYPE_VALUES,
    description: 'Chatwoot: 0 or "webhook" (the only type)',
  })
  @IsOptional()
  @Transform(botTypeFromForm)
  @IsIn(BOT_TYPE_VALUES as unknown as unknown[], { message: 'must be 0 or "webhook"' })
  bot_type?: 0 | 'webhook';

  @AttributesField({ optional: true, description: BOT_CONFIG_DESCRIPTION })
  bot_config?: Record<string, unknown>;

  @HttpUrlField({ optional: true, nullable: true, description: 'A picture of the bot' })
  avatar_url?: string | null;
}

export class UpdateAgentBotRequest {
  @NameField({ optional: true })
  name?: string;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: DESCRIPTION_LIMIT })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(DESCRIPTION_LIMIT)
  description?: string | null;

  @HttpUrlField({ optional: true, nullable: true, description: 'null removes it' })
  outgoing_url?: string | null;

  @ApiPropertyOptional({ enum: BOT_TYPE_VALUES })
  @IsOptional()
  @Transform(botTypeFromForm)
  @IsIn(BOT_TYPE_VALUES as unknown as unknown[], { message: 'must be 0 or "webhook"' })
  bot_type?: 0 | 'webhook';

  @AttributesField({ optional: true, description: BOT_CONFIG_DESCRIPTION })
  bot_config?: Record<string, unknown>;

  @HttpUrlField({ optional: true, nullable: true })
  avatar_url?: string | null;
}

export class SetAgentBotRequest {
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'The agent bot to attach; null detaches the current one',
  })
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  agent_bot: number | null;
}
