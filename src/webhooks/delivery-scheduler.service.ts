import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { DELIVERY_QUEUE } from './webhooks.constants.js';

export interface DeliveryJob {
  deliveryId: string;
  /** Lets a worker at the endpoint's concurrency cap set the job aside without a query. */
  endpointId?: number;
}

/** A delivery to wake: its id, or its id and endpoint when the caller knows it. */
export type DeliveryTarget = string | { id: string; endpointId: number };

/**
 * Wakes deliveries up through Bull. A job is only a wake-up call: the delivery row decides
 * whether an attempt is due, so duplicate or stale jobs are harmless and lost ones are
 * re-created by the relay.
 */
@Injectable()
export class DeliveryScheduler {
  constructor(@InjectQueue(DELIVERY_QUEUE) private readonly queue: Queue<DeliveryJob>) {}

  async wake(targets: DeliveryTarget[], tag: string, delayMs = 0): Promise<void> {
    if (targets.length === 0) return;
    await this.queue.addBulk(
      targets.map((target) => {
        const data: DeliveryJob =
          typeof target === 'string'
            ? { deliveryId: target }
            : { deliveryId: target.id, endpointId: target.endpointId };
        return {
          data,
          opts: {
            jobId: `${data.deliveryId}:${tag}`,
            delay: delayMs,
            removeOnComplete: true,
            removeOnFail: true,
          },
        };
      }),
    );
  }

  get bull(): Queue<DeliveryJob> {
    return this.queue;
  }
}
