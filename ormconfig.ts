import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { validateEnvironment } from './src/config/index.js';
import { buildDataSourceOptions } from './src/database/index.js';
import { loadEnvironmentFile } from './src/environment-file.js';

/**
 * The DataSource of the TypeORM CLI (`npm run migration:generate|run|revert`), built from the
 * same options as the app. Compiled to dist/ormconfig.js first, so entities keep their
 * decorator metadata.
 */
loadEnvironmentFile();
const env = validateEnvironment(process.env);

export default new DataSource({
  ...buildDataSourceOptions(env.DATABASE_URL),
  entities: [new URL('./src/**/entities/*.entity.js', import.meta.url).pathname],
});
