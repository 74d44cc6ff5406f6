import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { AccountsModule, SetupAccountCommand } from './accounts/index.js';
import { appConfigModule, ConfigurationError, validateEnvironment } from './config/index.js';
import { DatabaseModule, prepareDatabase, StartupError } from './database/index.js';
import { OutboxModule } from './outbox/index.js';
import { ReportProjectionModule, ReportProjector } from './reports/index.js';
import { loadEnvironmentFile } from './environment-file.js';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  setup --account <name> --name <name> --email <email> [--password <password>]
      Creates an account and its first administrator, and prints the account id and an
      access token (shown once). Without --password a random password is generated and
      printed once. If a user already has the email, nothing is created.
  reports:rebuild
      Forgets the reports projection (reporting events, rollups) and derives it again from
      the events in the outbox (domain_events). Safe while servers run: they wait for it.
`;

@Module({ imports: [CqrsModule.forRoot(), DatabaseModule, OutboxModule, AccountsModule] })
class CliModule {}

class UsageError extends Error {}

async function setup(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      account: { type: 'string' },
      name: { type: 'string' },
      email: { type: 'string' },
      password: { type: 'string' },
    },
    strict: true,
  });
  const missing = (['account', 'name', 'email'] as const).filter((key) => !values[key]?.trim());
  if (missing.length > 0)
    throw new UsageError(`setup needs ${missing.map((key) => `--${key}`).join(', ')}`);
  if (!/^[^\s@]+@[^\s@]+$/.test(values.email!.trim()))
    throw new UsageError('--email must be an email address');
  if (values.password !== undefined && values.password.length < 8) {
    throw new UsageError('--password must be at least 8 characters');
  }

  const env = validateEnvironment(process.env);
  await prepareDatabase(env.DATABASE_URL);
  const app = await NestFactory.createApplicationContext(
    { module: CliModule, imports: [appConfigModule(env)] },
    { logger: ['error'] },
  );
  try {
    const result = await app
      .get(CommandBus)
      .execute(
        new SetupAccountCommand(
          values.account!,
          values.name!,
          values.email!,
          values.password ?? null,
        ),
      );
    if (!result.created) {
      console.log(
        `A user with the email ${values.email!.trim()} already exists (user ${result.userId}); nothing was created.`,
      );
      return;
    }
    console.log(`Created account "${values.account!.trim()}" (account id ${result.accountId})`);
    console.log(
      `Created administrator ${values.name!.trim()} <${values.email!.trim().toLowerCase()}> (user id ${result.userId})`,
    );
    if (result.generatedPassword) console.log(`Password (shown once): ${result.generatedPassword}`);
    console.log(`Access token (shown once, store it now): ${result.token}`);
    console.log(
      `Try it: curl -H "api_access_token: ${result.token}" http://localhost:${env.PORT}/api/v1/profile`,
    );
  } finally {
    await app.close();
  }
}

async function rebuildReports(argv: string[]): Promise<void> {
  parseArgs({ args: argv, options: {}, strict: true });
  const env = validateEnvironment(process.env);
  await prepareDatabase(env.DATABASE_URL);
  const app = await NestFactory.createApplicationContext(
    { module: ReportsCliModule, imports: [appConfigModule(env)] },
    { logger: ['error'] },
  );
  try {
    const started = Date.now();
    const events = await app.get(ReportProjector).rebuild();
    console.log(`Rebuilt the reports from ${events} events in ${Date.now() - started} ms`);
  } finally {
    await app.close();
  }
}

@Module({ imports: [CqrsModule.forRoot(), DatabaseModule, OutboxModule, ReportProjectionModule] })
class ReportsCliModule {}

async function main(): Promise<void> {
  loadEnvironmentFile();
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'setup') return setup(rest);
  if (command === 'reports:rebuild') return rebuildReports(rest);
  if (!command || command === 'help' || command === '--help') {
    console.log(USAGE);
    return;
  }
  throw new UsageError(`unknown command "${command}"`);
}

main().catch((error: unknown) => {
  if (
    error instanceof UsageError ||
    (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
  ) {
    console.error(`conversa: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (error instanceof StartupError || error instanceof ConfigurationError) {
    console.error(`conversa: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
