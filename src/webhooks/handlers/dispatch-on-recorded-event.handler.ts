import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import type { Subscription } from 'rxjs';
import { filter } from 'rxjs';
import { DomainEvent } from '../../outbox/index.js';
import { DeliveryDispatcher } from '../delivery-dispatcher.service.js';

/**
 * The fast path: right after a write commits, turn its events into deliveries. Listens to every
 * outbox event, whichever module registered it (the catalogue is open, so no fixed class list).
 */
@Injectable()
export class DispatchOnRecordedEvent implements OnModuleInit, OnModuleDestroy {
  private subscription?: Subscription;

  constructor(
    private readonly bus: EventBus,
    private readonly dispatcher: DeliveryDispatcher,
  ) {}

  onModuleInit(): void {
    this.subscription = this.bus
      .pipe(filter((event) => event instanceof DomainEvent))
      .subscribe(() => void this.dispatcher.dispatch());
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }
}
