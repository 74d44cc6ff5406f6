import DataLoader from 'dataloader';

/**
 * Coalesces the lookups that concurrent requests make in the same turn of the event loop into
 * one query: `fetch` gets every key asked for and returns the rows found; `keyOf` says which key
 * a row answers. Nothing is cached across turns, so an answer is never older than the request.
 * A key with no row resolves to undefined.
 */
export function batchLookup<K, R>(
  fetch: (keys: K[]) => Promise<R[]>,
  keyOf: (row: R) => string,
  keyString: (key: K) => string = String,
): (key: K) => Promise<R | undefined> {
  const loader = new DataLoader<K, R | undefined, string>(
    async (keys) => {
      const rows = await fetch([...keys]);
      const byKey = new Map(rows.map((row) => [keyOf(row), row]));
      return keys.map((key) => byKey.get(keyString(key)));
    },
    {
      cache: false,
      // After the I/O callbacks of this turn (the requests that arrived together), not after
      // each one's microtasks: that is what lets concurrent requests share a query.
      batchScheduleFn: (callback) => setImmediate(callback),
      maxBatchSize: 500,
    },
  );
  return (key) => loader.load(key);
}
