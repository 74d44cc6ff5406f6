export { IdempotencyModule } from './idempotency.module.js';
export { REPLAYED_HEADER } from './idempotency.interceptor.js';
export { canonicalJson, requestFingerprint } from './request-fingerprint.js';
export { requestIdempotencyKey } from './applied-marker.js';
export { keysMarked, markKeysApplied } from './idempotency.store.js';
export { IdempotencySql } from './idempotency-sql.js';
export type { HeldKey } from './idempotency.store.js';
export { runApplyingKey } from './applied-marker.js';
