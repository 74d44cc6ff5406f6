import { describe, expect, it } from '@jest/globals';
import { FailureLog } from './failure-log.js';

describe('FailureLog', () => {
  function setup(intervalMs = 1_000) {
    let now = 0;
    const lines: Record<string, unknown>[] = [];
    const log = new FailureLog(
      intervalMs,
      (fields) => lines.push(fields),
      () => now,
    );
    return { log, lines, advance: (ms: number) => (now += ms) };
  }
  const attempt = (endpointId: number, statusCode: number | null = 500) => ({
    endpointId,
    url: 'https://hooks.example.test:8443/path?token=secret',
    statusCode,
    reason: statusCode ? `answered ${statusCode}` : 'connect ECONNREFUSED',
  });

  it('logs the host, status and reason, never the path or query', () => {
    const { log, lines } = setup();
    log.note(attempt(1));
    expect(lines).toEqual([
      {
        endpointId: 1,
        host: 'hooks.example.test:8443',
        statusCode: 500,
        reason: 'answered 500',
        suppressed: 0,
      },
    ]);
  });

  it('logs one line per endpoint per interval, then says how many it left out', () => {
    const { log, lines, advance } = setup();
    for (let i = 0; i < 5; i++) log.note(attempt(1));
    log.note(attempt(2, null));
    expect(lines.map((line) => line.endpointId)).toEqual([1, 2]);
    advance(999);
    log.note(attempt(1));
    expect(lines).toHaveLength(2);
    advance(1);
    log.note(attempt(1));
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatchObject({ endpointId: 1, suppressed: 5 });
  });

  it('logs every failure with an interval of 0', () => {
    const { log, lines } = setup(0);
    log.note(attempt(1));
    log.note(attempt(1));
    expect(lines.map((line) => line.suppressed)).toEqual([0, 0]);
  });
});
