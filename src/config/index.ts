import { ConfigModule, ConfigService } from '@nestjs/config';
import { Environment, validateEnvironment } from './environment.js';

export {
  ConfigurationError,
  Environment,
  PROCESS_ROLES,
  validateEnvironment,
} from './environment.js';
export type { ProcessRole } from './environment.js';

/** The validated settings; read them with `config.get('PORT', { infer: true })`. */
export type AppConfig = ConfigService<Environment, true>;

/**
 * `.env` is loaded by the entry points (process.loadEnvFile) before Nest starts, so the CLI,
 * the server and the tests all validate the same process environment here.
 */
export const AppConfigModule = ConfigModule.forRoot({
  isGlobal: true,
  ignoreEnvFile: true,
  cache: true,
  validate: validateEnvironment,
});
