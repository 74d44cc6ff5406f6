export { IdempotencyModule } from './idempotency.module.js';
export { REPLAYED_HEADER } from './idempotency.interceptor.js';
export { canonicalJson, requestFingerprint } from './request-fingerprint.js';
