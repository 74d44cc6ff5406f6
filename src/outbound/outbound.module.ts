import { Global, Module, OnApplicationShutdown, Inject } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/index.js';
import { OutboundClient } from './outbound-client.js';
import { OutboundPolicy } from './outbound-policy.js';

@Global()
@Module({
  providers: [
    {
      provide: OutboundPolicy,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) =>
        new OutboundPolicy(config.get('WEBHOOK_ALLOWED_TARGETS', { infer: true })),
    },
    {
      provide: OutboundClient,
      inject: [OutboundPolicy, ConfigService],
      useFactory: (policy: OutboundPolicy, config: ConfigService<Environment, true>) =>
        new OutboundClient(policy, config.get('WEBHOOK_TIMEOUT_MS', { infer: true })),
    },
  ],
  exports: [OutboundPolicy, OutboundClient],
})
export class OutboundModule implements OnApplicationShutdown {
  constructor(@Inject(OutboundClient) private readonly client: OutboundClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
