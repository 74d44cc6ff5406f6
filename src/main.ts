import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  ConfigurationError,
  developmentLoopbackOpen,
  validateEnvironment,
} from './config/index.js';
import { loadEnvironmentFile } from './environment-file.js';

const logger = new Logger('Conversa');

async function main(): Promise<void> {
  loadEnvironmentFile();
  const env = validateEnvironment(process.env);
  // The application (Nest, TypeORM, Bull...) loads only once the settings are good, so a bad
  // value is reported in a moment rather than after seconds of loading.
  const [{ createApp }, { prepareDatabase }, { checkRedis }] = await Promise.all([
    import('./app.factory.js'),
    import('./database/index.js'),
    import('./redis/index.js'),
  ]);

  const applied = await prepareDatabase(env.DATABASE_URL);
  if (applied.length > 0) logger.log(`Applied migrations: ${applied.join(', ')}`);
  await checkRedis(env.REDIS_URL);

  const app = await createApp(env);
  stopGracefully(app);
  if (developmentLoopbackOpen(env)) {
    logger.warn(
      'NODE_ENV=development: webhook URLs may target this machine (127.0.0.0/8, ::1, localhost), e.g. `npm run webhooks:listen`. With NODE_ENV=production they are refused unless WEBHOOK_ALLOWED_TARGETS opens them.',
    );
  }
  if (env.PROCESS_ROLE === 'worker') {
    await app.init();
    logger.log('Conversa worker started (no HTTP)');
    return;
  }
  await app.listen({ port: env.PORT, host: env.HOST });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  logger.log(
    `Conversa listening on http://localhost:${port} (API docs at http://localhost:${port}/docs)`,
  );
}

/**
 * On SIGTERM or SIGINT: stop accepting requests, let in-flight ones finish, close queues and
 * the pool, then exit 0. (Nest's own shutdown hooks re-raise the signal, which exits non-zero.)
 */
function stopGracefully(app: NestFastifyApplication): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: draining and shutting down`);
    app
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error(error);
        process.exit(1);
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch(async (error: unknown) => {
  if (error instanceof ConfigurationError) {
    console.error(`conversa: ${error.message}`);
  } else if (error instanceof (await import('./database/index.js')).StartupError) {
    console.error(`conversa: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
