import { batchLookup } from './batch-lookup.js';

describe('batchLookup', () => {
  function recorder() {
    const calls: number[][] = [];
    const lookup = batchLookup<number, { id: number }>(
      async (keys) => {
        calls.push(keys);
        return keys.filter((key) => key % 2 === 0).map((id) => ({ id }));
      },
      (row) => String(row.id),
    );
    return { calls, lookup };
  }

  it('answers lookups made in the same turn with one fetch, each with its own row', async () => {
    const { calls, lookup } = recorder();
    const answers = await Promise.all([lookup(2), lookup(4), lookup(3), lookup(2)]);
    expect(answers).toEqual([{ id: 2 }, { id: 4 }, undefined, { id: 2 }]);
    expect(calls).toHaveLength(1);
  });

  it('fetches again in a later turn: nothing is cached', async () => {
    const { calls, lookup } = recorder();
    await lookup(2);
    await lookup(2);
    expect(calls).toEqual([[2], [2]]);
  });

  it('rejects every lookup of a batch whose fetch failed, and recovers after', async () => {
    let fail = true;
    const lookup = batchLookup<number, { id: number }>(
      async (keys) => {
        if (fail) throw new Error('database unavailable');
        return keys.map((id) => ({ id }));
      },
      (row) => String(row.id),
    );
    const failed = await Promise.allSettled([lookup(1), lookup(2)]);
    expect(failed.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(lookup(1)).resolves.toEqual({ id: 1 });
  });
});
