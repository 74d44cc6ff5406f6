import { describe, expect, it } from '@jest/globals';
import type { Job } from 'bull';
import type { DeliveryScheduler } from './delivery-scheduler.service.js';
import type { DeliveryJob } from './delivery-scheduler.service.js';
import type { DeliveryService } from './delivery.service.js';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor.js';

describe('WebhookDeliveryProcessor', () => {
  function setup(busy: number[] = []) {
    const drained: number[] = [];
    const woken: { endpointIds: number[]; delayMs?: number }[] = [];
    const deliveries = {
      endpointOf: async (deliveryId: string) => (deliveryId === '7' ? 3 : null),
      drainHere: (endpointIds: number[]) => {
        drained.push(...endpointIds);
        return endpointIds.filter((id) => busy.includes(id));
      },
    } as unknown as DeliveryService;
    const scheduler = {
      wake: async (endpointIds: number[], _tag: string, delayMs?: number) => {
        woken.push({ endpointIds, delayMs });
      },
    } as unknown as DeliveryScheduler;
    const processor = new WebhookDeliveryProcessor(deliveries, scheduler);
    const job = (data: DeliveryJob) => ({ data }) as Job<DeliveryJob>;
    return { processor, job, drained, woken };
  }

  it('hands the endpoint of a job to the delivery service', async () => {
    const { processor, job, drained, woken } = setup();
    await processor.wake(job({ endpointId: 5 }));
    expect(drained).toEqual([5]);
    expect(woken).toEqual([{ endpointIds: [], delayMs: 1_000 }]);
  });

  it('wakes an endpoint again in a second when this process is at its limit', async () => {
    const { processor, job, woken } = setup([5]);
    await processor.wake(job({ endpointId: 5 }));
    expect(woken).toEqual([{ endpointIds: [5], delayMs: 1_000 }]);
  });

  it('finds the endpoint of a job queued by an older version (a delivery id)', async () => {
    const { processor, job, drained } = setup();
    await processor.wake(job({ deliveryId: '7' }));
    await processor.wake(job({ deliveryId: '8' })); // its delivery is gone: nothing to do
    expect(drained).toEqual([3]);
  });
});
