import type pg from 'pg';

export declare const FIXTURE_PASSWORD: string;

export interface ApiAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  headers: Record<string, string | string[] | undefined>;
}

export declare function api(
  baseUrl: string,
  method: string,
  path: string,
  options?: { token?: string; body?: unknown; headers?: Record<string, string> },
): Promise<ApiAnswer>;

export declare class Fixture {
  static create(baseUrl: string, db: pg.Pool, label?: string): Promise<Fixture>;
  readonly ids: Record<string, number | string>;
  readonly repairs: number;
  readonly accountId: number;
  readonly adminToken: string;
  readonly agentToken: string;
  /** The id (or identifier) of this account's row of a kind named by openapi-walk. */
  value(kind: string): number | string;
  /** One more contact with a conversation and messages; the ids now name those. */
  createConversation(): Promise<void>;
  /** Re-creates deleted, revoked or demoted parts; answers their names. */
  repair(): Promise<string[]>;
}
