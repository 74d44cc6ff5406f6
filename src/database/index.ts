export { buildDataSourceOptions } from './data-source-options.js';
export { DatabaseModule } from './database.module.js';
export { prepareDatabase, StartupError } from './prepare-database.js';
export { redactUrl } from './redact-url.js';
export { PreparedQuery } from './prepared-query.js';
export { ChangeCache, ChangeFeed } from './change-feed.js';
export { advisoryLock } from './advisory-lock.js';
