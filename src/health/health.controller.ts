import { Controller, Get, Inject } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  type ApiPropertyOptions,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import { Public } from '../accounts/index.js';
import { PROBLEM_CONTENT_TYPE, ProblemDetails } from '../common/index.js';
import { REDIS } from '../redis/index.js';
import { WebhookBacklogQuery } from '../webhooks/index.js';
import { ConfigService } from '@nestjs/config';
import { QueryBus } from '@nestjs/cqrs';
import type { Environment } from '../config/index.js';

const DEPENDENCIES: ApiPropertyOptions = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    properties: {
      status: { type: 'string', enum: ['up', 'down'] },
      responseTime: { type: 'number', description: 'database: ms the ping took' },
      pending: { type: 'integer', description: 'webhooks: deliveries due' },
      oldest_overdue_ms: { type: 'integer', description: 'webhooks: how late the oldest is' },
      message: { type: 'string', description: 'Why it is down' },
    },
    required: ['status'],
  },
  example: { database: { status: 'up' }, redis: { status: 'up' } },
};

/** The body of a passing health check (terminus's report). */
class HealthReport {
  @ApiProperty({ enum: ['ok'] }) status: string;
  @ApiProperty({ ...DEPENDENCIES, description: 'The dependencies that are up' })
  info: Record<string, unknown>;
  @ApiProperty({ ...DEPENDENCIES, description: 'The dependencies that are down (none)' })
  error: Record<string, unknown>;
  @ApiProperty({
    ...DEPENDENCIES,
    description:
      'Every dependency; webhooks also has pending (deliveries due) and oldest_overdue_ms',
  })
  details: Record<string, unknown>;
}

@ApiTags('Health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly queries: QueryBus,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  @Get()
  @Public()
  @SkipThrottle()
  // Documented here rather than by terminus: the filter answers a failed check as problem+json.
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({
    summary:
      'Whether PostgreSQL and Redis answer and webhooks keep up (200), or what is wrong (503)',
    description:
      'webhooks reports the pending deliveries and how late the most overdue one is; past WEBHOOK_MAX_DELAY_MS the check fails.',
  })
  @ApiOkResponse({ type: HealthReport, description: 'Every dependency is up' })
  @ApiResponse({
    status: 503,
    description: 'A dependency is down; `details` says which',
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetails) } } },
  })
  check() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 2_000 }),
      () => this.pingRedis(),
      () => this.webhookBacklog(),
    ]);
  }

  private async webhookBacklog() {
    const indicator = this.indicators.check('webhooks');
    const backlog = await this.queries.execute(new WebhookBacklogQuery());
    const limit = this.config.get('WEBHOOK_MAX_DELAY_MS', { infer: true });
    return backlog.oldest_overdue_ms > limit
      ? indicator.down({
          ...backlog,
          message: `A due webhook delivery has waited ${backlog.oldest_overdue_ms} ms (limit ${limit} ms)`,
        })
      : indicator.up(backlog);
  }

  private async pingRedis() {
    const indicator = this.indicators.check('redis');
    try {
      await Promise.race([
        this.redis.ping(),
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('timed out after 2000 ms')), 2_000).unref(),
        ),
      ]);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}
