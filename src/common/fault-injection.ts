/**
 * A crash point for the reliability tests: with NODE_ENV=test and FAULT_INJECTION=<name>, the
 * process kills itself here (as kill -9 would). Configuration refuses FAULT_INJECTION outside
 * tests, so production code paths never stop here.
 */
export function faultPoint(name: 'crash_after_commit' | 'crash_after_fanout'): void {
  if (process.env.NODE_ENV === 'test' && process.env.FAULT_INJECTION === name)
    process.kill(process.pid, 'SIGKILL');
}
