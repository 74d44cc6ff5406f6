import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { DeliveryScheduler } from './delivery-scheduler.service.js';
import type { DeliveryJob } from './delivery-scheduler.service.js';
import { DeliveryService } from './delivery.service.js';
import { DELIVERY_QUEUE } from './webhooks.constants.js';

/**
 * Job handlers at once per process. A job only hands its endpoint to the DeliveryService, which
 * sends in the background under its own limit (WEBHOOK_CONCURRENCY endpoints), so a handler
 * takes a few milliseconds and a handful of them keep up with any wake-up rate.
 */
const JOB_CONCURRENCY = 8;

/**
 * The worker of the delivery queue: a job means "this endpoint may have deliveries due". Only
 * processes that deliver (PROCESS_ROLE worker or both) have this provider (see WebhooksModule).
 */
@Processor(DELIVERY_QUEUE)
export class WebhookDeliveryProcessor {
  constructor(
    private readonly deliveries: DeliveryService,
    private readonly scheduler: DeliveryScheduler,
  ) {}

  @Process({ concurrency: JOB_CONCURRENCY })
  async wake(job: Job<DeliveryJob>): Promise<void> {
    const endpointId =
      job.data.endpointId ??
      (job.data.deliveryId ? await this.deliveries.endpointOf(job.data.deliveryId) : null);
    if (endpointId === null) return;
    // One limit for queued and direct wake-ups (WEBHOOK_CONCURRENCY endpoints per process):
    // an endpoint this process cannot take now is woken again in a second.
    const left = this.deliveries.drainHere([endpointId]);
    await this.scheduler.wake(left, `d${Date.now()}`, 1_000);
  }
}
