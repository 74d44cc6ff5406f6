/**
 * Per-endpoint concurrency in this process: at most `limit` attempts to one endpoint run at a
 * time, so a slow endpoint cannot take every worker. A delivery that finds its endpoint full
 * waits here (by id) and is handed back when a slot frees. Kept in memory on purpose: counting
 * in-flight rows in the database cost a query per attempt that grew with the backlog; after a
 * crash, the relay re-wakes whatever was waiting.
 */
export class EndpointSlots {
  private readonly busy = new Map<number, number>();
  private readonly waiting = new Map<number, Set<string>>();

  constructor(private readonly limit: number) {}

  /** Takes a slot, or parks the delivery until one frees and returns false. */
  take(endpointId: number, deliveryId: string): boolean {
    const busy = this.busy.get(endpointId) ?? 0;
    if (busy >= this.limit) {
      let parked = this.waiting.get(endpointId);
      if (!parked) this.waiting.set(endpointId, (parked = new Set()));
      parked.add(deliveryId);
      return false;
    }
    this.busy.set(endpointId, busy + 1);
    return true;
  }

  /** Frees a slot; returns the parked deliveries to wake now (as many as slots are free). */
  release(endpointId: number): string[] {
    const busy = (this.busy.get(endpointId) ?? 1) - 1;
    if (busy > 0) this.busy.set(endpointId, busy);
    else this.busy.delete(endpointId);
    const parked = this.waiting.get(endpointId);
    if (!parked) return [];
    const free = this.limit - busy;
    const woken: string[] = [];
    for (const id of parked) {
      if (woken.length >= free) break;
      woken.push(id);
      parked.delete(id);
    }
    if (parked.size === 0) this.waiting.delete(endpointId);
    return woken;
  }
}
