import { describe, expect, it } from '@jest/globals';
import { inBatches } from './batches.js';

describe('inBatches', () => {
  it('runs batches until one handles fewer than the size, and totals them', async () => {
    const waiting = [3, 3, 2, 3];
    const sizes: number[] = [];
    const total = await inBatches(3, async (size) => {
      sizes.push(size);
      return waiting.shift()!;
    });
    expect(total).toBe(8);
    expect(sizes).toEqual([3, 3, 3]);
    expect(waiting).toEqual([3]);
  });

  it('stops after one empty batch', async () => {
    let calls = 0;
    expect(await inBatches(5, async () => (calls++, 0))).toBe(0);
    expect(calls).toBe(1);
  });
});
