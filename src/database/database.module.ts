import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../config/index.js';
import { ChangeFeed } from './change-feed.js';
import { buildDataSourceOptions } from './data-source-options.js';
import { PoolErrorGuard } from './pool-error-guard.js';

/**
 * The PostgreSQL connection pool (each module registers its own entities with forFeature), and
 * the change feed that lets modules cache rarely-changing rows.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: AppConfig) => ({
        ...buildDataSourceOptions(
          config.get('DATABASE_URL', { infer: true }),
          config.get('DATABASE_POOL_SIZE', { infer: true }),
        ),
        autoLoadEntities: true,
        // The pool is checked once at boot by prepareDatabase; do not retry for a minute here.
        retryAttempts: 1,
      }),
    }),
  ],
  providers: [ChangeFeed, PoolErrorGuard],
  exports: [ChangeFeed],
})
export class DatabaseModule {}
