import { EndpointSlots } from './endpoint-slots.js';

describe('EndpointSlots', () => {
  it('lets `limit` attempts run per endpoint and parks the rest', () => {
    const slots = new EndpointSlots(2);
    expect(slots.take(1, 'a')).toBe(true);
    expect(slots.take(1, 'b')).toBe(true);
    expect(slots.take(1, 'c')).toBe(false);
    expect(slots.take(1, 'd')).toBe(false);
    // Another endpoint is not affected by the first one being full.
    expect(slots.take(2, 'x')).toBe(true);
  });

  it('hands parked deliveries back one per freed slot, oldest first', () => {
    const slots = new EndpointSlots(1);
    slots.take(1, 'a');
    slots.take(1, 'b');
    slots.take(1, 'c');
    expect(slots.release(1)).toEqual(['b']);
    // 'b' was handed back, not given the slot: it takes it when its job runs.
    expect(slots.take(1, 'b')).toBe(true);
    expect(slots.release(1)).toEqual(['c']);
    expect(slots.release(1)).toEqual([]);
  });

  it('parks a delivery once however often its job comes back', () => {
    const slots = new EndpointSlots(1);
    slots.take(1, 'a');
    slots.take(1, 'b');
    slots.take(1, 'b');
    expect(slots.release(1)).toEqual(['b']);
    expect(slots.release(1)).toEqual([]);
  });
});
