import { ChangeCache } from './change-feed.js';

describe('ChangeCache', () => {
  it('loads once per key while live, and again after a clear', async () => {
    const cache = new ChangeCache<string>(() => true);
    let loads = 0;
    const load = async () => `value ${++loads}`;
    expect(await cache.get('a', load)).toBe('value 1');
    expect(await cache.get('a', load)).toBe('value 1');
    cache.clear();
    expect(await cache.get('a', load)).toBe('value 2');
  });

  it('never keeps what it loads while the change feed is down', async () => {
    let live = false;
    const cache = new ChangeCache<string>(() => live);
    let loads = 0;
    const load = async () => `value ${++loads}`;
    await cache.get('a', load);
    await cache.get('a', load);
    expect(loads).toBe(2);
    live = true;
    await cache.get('a', load);
    await cache.get('a', load);
    expect(loads).toBe(3);
  });

  it('does not keep a value read before a change that happened during the read', async () => {
    const cache = new ChangeCache<string>(() => true);
    let release!: () => void;
    const slow = cache.get(
      'a',
      () => new Promise<string>((resolve) => (release = () => resolve('before the change'))),
    );
    cache.clear(); // a writer announced a change while the read was in flight
    release();
    expect(await slow).toBe('before the change');
    expect(await cache.get('a', async () => 'after the change')).toBe('after the change');
  });

  it('does not keep "not found"', async () => {
    const cache = new ChangeCache<string | undefined>(() => true);
    let loads = 0;
    await cache.get('missing', async () => (loads++, undefined));
    await cache.get('missing', async () => (loads++, undefined));
    expect(loads).toBe(2);
  });
});
