export { LoggingModule } from './logging.module.js';
export { requestIdOf } from './request-id.js';
