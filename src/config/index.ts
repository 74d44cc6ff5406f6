import type { DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import type { Environment } from './environment.js';

export {
  ConfigurationError,
  Environment,
  developmentLoopbackOpen,
  PROCESS_ROLES,
  validateEnvironment,
} from './environment.js';
export { targetEntries } from './allowed-targets.js';
export type { ProcessRole } from './environment.js';

/** The validated settings; read them with `config.get('PORT', { infer: true })`. */
export type AppConfig = ConfigService<Environment, true>;

/**
 * The configuration module of one application: `env` is what its entry point validated (after
 * loading `.env`), and nothing else is read. Neither process.env nor `.env` is consulted again
 * (skipProcessEnv), and nothing is written back to process.env, so several applications with
 * different settings can run in one process (the in-process e2e tests do).
 */
export function appConfigModule(env: Environment): Promise<DynamicModule> {
  return ConfigModule.forRoot({
    isGlobal: true,
    ignoreEnvFile: true,
    ignoreEnvVars: true,
    skipProcessEnv: true,
    cache: true,
    load: [() => ({ ...env })],
  });
}
