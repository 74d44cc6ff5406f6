import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CqrsModule } from '@nestjs/cqrs';
import type { DestinationStream } from 'pino';
import { AccountsModule } from './accounts/index.js';
import { AgentBotsModule } from './agent-bots/index.js';
import { ApiChannelModule } from './api-channel/index.js';
import { AttachmentsModule } from './attachments/index.js';
import { AutomationModule } from './automation/index.js';
import { CannedResponsesModule } from './canned-responses/index.js';
import { UnhandledExceptionsLogger } from './common/index.js';
import { appConfigModule } from './config/index.js';
import type { AppConfig, Environment } from './config/index.js';
import { DatabaseModule } from './database/index.js';
import { ContactsModule } from './contacts/index.js';
import { CustomFiltersModule } from './custom-filters/index.js';
import { FaqBotModule } from './extensions/faq-bot/index.js';
import { CustomAttributesModule } from './custom-attributes/index.js';
import { VipRoutingModule } from './extensions/vip-routing/index.js';
import { ConversationsModule } from './conversations/index.js';
import { HealthModule } from './health/index.js';
import { IdempotencyModule } from './idempotency/index.js';
import { InboxesModule } from './inboxes/index.js';
import { LabelsModule } from './labels/index.js';
import { OutboundModule } from './outbound/index.js';
import { OutboxModule } from './outbox/index.js';
import { LoggingModule } from './logging/index.js';
import { RateLimitModule } from './rate-limit/index.js';
import { RedisModule } from './redis/index.js';
import { ReportsModule } from './reports/index.js';
import { AuditModule } from './audit/index.js';
import { WebhooksModule } from './webhooks/index.js';

@Module({
  imports: [
    CqrsModule.forRoot(),
    DatabaseModule,
    RedisModule,
    BullModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: AppConfig) => ({
        url: config.get('REDIS_URL', { infer: true }),
        prefix: `${config.get('REDIS_PREFIX', { infer: true })}:bull`,
      }),
    }),
    // Rate limiting comes before authentication, so bad tokens are throttled too.
    RateLimitModule,
    OutboxModule,
    // Its multipart interceptor makes the body before the idempotency interceptor reads it.
    AttachmentsModule,
    IdempotencyModule,
    AccountsModule,
    InboxesModule,
    CustomAttributesModule,
    ContactsModule,
    ConversationsModule,
    LabelsModule,
    CannedResponsesModule,
    CustomFiltersModule,
    ApiChannelModule,
    OutboundModule,
    WebhooksModule,
    AutomationModule,
    AgentBotsModule,
    ReportsModule,
    AuditModule,
    // Example extensions; remove them from a deployment that does not want their rule vocabulary
    // or bot.
    VipRoutingModule,
    FaqBotModule,
    HealthModule,
  ],
  providers: [UnhandledExceptionsLogger],
})
export class AppModule {
  /**
   * The whole application, configured by `env` (validated by the entry point); its logs go to
   * stdout unless a `logDestination` is given.
   */
  static forRoot(env: Environment, logDestination?: DestinationStream): DynamicModule {
    return {
      module: AppModule,
      imports: [appConfigModule(env), LoggingModule.forRoot(logDestination)],
    };
  }
}
