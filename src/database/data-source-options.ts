import type { DataSourceOptions } from 'typeorm';
import { migrations } from './migrations/index.js';

/**
 * The TypeORM options shared by the app, the CLI and the migration tool. Schema changes come
 * only from the committed migrations listed in `migrations/index.ts`; `synchronize` stays off.
 */
export function buildDataSourceOptions(databaseUrl: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    synchronize: false,
    migrationsRun: false,
    migrations,
    migrationsTableName: 'typeorm_migrations',
    extra: { max: poolSize, connectionTimeoutMillis: 10_000 },
  };
}
