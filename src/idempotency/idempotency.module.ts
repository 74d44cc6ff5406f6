import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { IdempotencyAppliedMarker } from './applied-marker.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';
import { IdempotencyStore } from './idempotency.store.js';

/** The Idempotency-Key interceptor, and the transaction subscriber that marks keys applied. */
@Module({
  providers: [
    IdempotencyStore,
    IdempotencyAppliedMarker,
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
})
export class IdempotencyModule {}
