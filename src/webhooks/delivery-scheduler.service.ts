import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { DELIVERY_QUEUE } from './webhooks.constants.js';

export interface DeliveryJob {
  deliveryId: string;
}

/**
 * Wakes deliveries up through Bull. A job is only a wake-up call: the delivery row decides
 * whether an attempt is due, so duplicate or stale jobs are harmless and lost ones are
 * re-created by the relay.
 */
@Injectable()
export class DeliveryScheduler {
  constructor(@InjectQueue(DELIVERY_QUEUE) private readonly queue: Queue<DeliveryJob>) {}

  async wake(deliveryIds: string[], tag: string, delayMs = 0): Promise<void> {
    if (deliveryIds.length === 0) return;
    await this.queue.addBulk(
      deliveryIds.map((deliveryId) => ({
        data: { deliveryId },
        opts: {
          jobId: `${deliveryId}:${tag}`,
          delay: delayMs,
          removeOnComplete: true,
          removeOnFail: true,
        },
      })),
    );
  }

  get bull(): Queue<DeliveryJob> {
    return this.queue;
  }
}
