import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { UnhandledExceptionBus } from '@nestjs/cqrs';
import type { Subscription } from 'rxjs';

/** Logs errors thrown by event handlers and sagas, which would otherwise vanish. */
@Injectable()
export class UnhandledExceptionsLogger implements OnModuleDestroy {
  private readonly logger = new Logger('Cqrs');
  private readonly subscription: Subscription;

  constructor(bus: UnhandledExceptionBus) {
    this.subscription = bus.subscribe(({ cause, exception }) => {
      this.logger.error(
        { err: exception },
        `Unhandled error while handling ${cause?.constructor?.name ?? 'a message'}`,
      );
    });
  }

  onModuleDestroy(): void {
    this.subscription.unsubscribe();
  }
}
