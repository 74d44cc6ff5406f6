import { existsSync } from 'node:fs';

/** Reads `.env` from the working directory, when there is one; real variables win. */
export function loadEnvironmentFile(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
