import type pg from 'pg';
import type { Fixture } from './api-fixture.mjs';
import type { OpenApiDocument, Operation } from './openapi-walk.mjs';

export interface FailureClass {
  key: string;
  kind: '5xx' | 'problem' | 'state-change' | 'no-answer' | 'lenient-id';
  count: number;
  operations: string[];
  example: {
    run: number;
    operation: string;
    request: string;
    status?: number;
    answer?: string;
    error?: string;
    replay: string;
  };
}

export interface FuzzReport {
  seed: number;
  requests: number;
  elapsedMs: number;
  perSecond: number;
  statuses: Record<string, number>;
  operations: number;
  operationsHit: number;
  operationsMissed: string[];
  settleTimeouts: number;
  unconfirmedChanges: number;
  repairs: number;
  failures: FailureClass[];
}

export interface LoggedError {
  type: string;
  message: string;
  stack?: string;
}

export declare function runFuzz(options: {
  baseUrl: string;
  db: pg.Pool;
  doc: OpenApiDocument;
  operations: Operation[];
  fixture: Fixture;
  runs: number;
  seed: number;
  path?: string;
  only?: string;
  timeLimitMs?: number;
  errorFor?: (requestId: string) => Promise<LoggedError | undefined>;
  log?: (line: string) => void;
  progressEveryMs?: number;
  replayCommand?: (operation: string, run: number) => string;
}): Promise<FuzzReport>;

export declare function formatReport(report: FuzzReport): string;
export declare function errorInLog(output: string, requestId: string): LoggedError | undefined;
