import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';

interface PgClientLike {
  on(event: 'error', listener: (error: Error) => void): unknown;
  listenerCount(event: string): number;
}
interface PgPoolLike {
  on(event: 'connect', listener: (client: PgClientLike) => void): unknown;
  _clients?: PgClientLike[];
}

/**
 * node-postgres removes the pool's idle listener from a client it hands out; a connection the
 * server terminates (57P01, a failover, an administrator) while its holder is between queries
 * then emits an 'error' nobody listens to, and Node ends the process. Every pooled client gets a
 * listener of its own for its whole life: the holder's next query still fails (and the pool
 * discards the client), but the process lives.
 */
@Injectable()
export class PoolErrorGuard implements OnModuleInit {
  private readonly logger = new Logger('DatabasePool');

  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    const pool = (this.dataSource.driver as unknown as { master?: PgPoolLike }).master;
    if (!pool) return;
    const guard = (client: PgClientLike) =>
      client.on('error', (error) =>
        this.logger.warn({ err: error }, 'A database connection failed; it will be replaced'),
      );
    for (const client of pool._clients ?? []) guard(client);
    pool.on('connect', guard);
  }
}
