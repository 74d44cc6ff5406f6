import type pg from 'pg';

export type Fingerprint = Record<string, string>;

export declare function stateFingerprint(
  db: pg.Pool,
): Promise<{ tables: string[]; take(): Promise<Fingerprint> }>;
export declare function changedTables(before: Fingerprint, after: Fingerprint): string[];
export declare function settle(
  db: pg.Pool,
  fingerprint: { take(): Promise<Fingerprint> },
  options?: { intervalMs?: number; timeoutMs?: number },
): Promise<{ fingerprint: Fingerprint; settled: boolean }>;
