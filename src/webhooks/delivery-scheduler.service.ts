import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { DELIVERY_QUEUE } from './webhooks.constants.js';

export interface DeliveryJob {
  endpointId?: number;
  /** Jobs queued by versions before endpoint wake-ups named a delivery instead. */
  deliveryId?: string;
}

/**
 * Wakes endpoints up through Bull: a job means "this endpoint may have deliveries due". The
 * delivery rows decide what is sent, so duplicate or stale jobs are harmless and lost ones
 * are re-created by the relay.
 */
@Injectable()
export class DeliveryScheduler {
  constructor(@InjectQueue(DELIVERY_QUEUE) private readonly queue: Queue<DeliveryJob>) {}

  /** `tag` names the reason, so the same wake-up queued twice is one job. */
  async wake(endpointIds: number[], tag: string, delayMs = 0): Promise<void> {
    const unique = [...new Set(endpointIds)];
    if (unique.length === 0) return;
    await this.queue.addBulk(
      unique.map((endpointId) => ({
        data: { endpointId },
        opts: {
          jobId: `e${endpointId}:${tag}`,
          delay: delayMs,
          removeOnComplete: true,
          removeOnFail: true,
        },
      })),
    );
  }
}
