import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import pg from 'pg';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../config/index.js';

const CHANNEL = 'conversa_changes';
const RECONNECT_MS = 1_000;
/** How often the LISTEN connection proves it is alive, and how long it may take to answer. */
const HEARTBEAT_MS = 15_000;
const HEARTBEAT_TIMEOUT_MS = 5_000;

/**
 * Tells every server process that rarely-changing rows changed, so they may cache them:
 * writers `announce` a topic inside their transaction (PostgreSQL NOTIFY, delivered only if it
 * commits) and `forget` it here after the commit; each process LISTENs on a connection of its
 * own, so other processes drop their entries milliseconds after the commit. While that connection is down,
 * caches are emptied and bypassed, so a missed notification can never leave a stale entry.
 */
@Injectable()
export class ChangeFeed implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ChangeFeed.name);
  private readonly caches = new Map<string, Set<ChangeCache<unknown>>>();
  private client?: pg.Client;
  private live = false;
  private closed = false;
  private retry?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;

  constructor(@Inject(ConfigService) private readonly config: AppConfig) {}

  onModuleInit(): void {
    void this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    clearInterval(this.heartbeat);
    this.goDark();
    await this.client?.end().catch(() => undefined);
  }

  /** Inside the writer's transaction: the topic's caches everywhere drop what they hold. */
  async announce(manager: EntityManager, topic: string): Promise<void> {
    await manager.query(`SELECT pg_notify($1, $2)`, [CHANNEL, topic]);
  }

  /** After the writer's commit: this process's caches of the topic drop what they hold now. */
  forget(topic: string): void {
    for (const cache of this.caches.get(topic) ?? []) cache.clear();
  }

  /** A cache of rows of `topic`, emptied whenever a writer announces the topic. */
  cache<V>(topic: string): ChangeCache<V> {
    const cache = new ChangeCache<V>(() => this.live);
    let set = this.caches.get(topic);
    if (!set) this.caches.set(topic, (set = new Set()));
    set.add(cache as ChangeCache<unknown>);
    return cache;
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({
      connectionString: this.config.get('DATABASE_URL', { infer: true }),
      // An idle connection can be dropped silently (NAT, failover): TCP keepalive and a
      // heartbeat notice it, and the caches go dark until the connection is back.
      keepAlive: true,
    });
    this.client = client;
    client.on('notification', (message) => {
      this.forget(message.payload ?? '');
    });
    const lost = (error?: Error) => {
      if (this.client !== client) return;
      this.goDark();
      clearInterval(this.heartbeat);
      if (error) this.logger.warn({ err: error }, 'Change feed connection lost; caches bypassed');
      this.client = undefined;
      void client.end().catch(() => undefined);
      if (!this.closed) this.retry = setTimeout(() => void this.connect(), RECONNECT_MS);
    };
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      if (this.client !== client) return;
      // Changes announced while nobody listened were missed: start from empty caches.
      this.goDark();
      this.live = true;
      this.heartbeat = setInterval(() => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error('change feed heartbeat timed out')),
            HEARTBEAT_TIMEOUT_MS,
          );
        });
        Promise.race([client.query('SELECT 1'), timeout]).then(
          () => clearTimeout(timer),
          (error: Error) => {
            clearTimeout(timer);
            lost(error);
          },
        );
      }, HEARTBEAT_MS).unref();
    } catch (error) {
      lost(error as Error);
    }
  }

  private goDark(): void {
    this.live = false;
    for (const set of this.caches.values()) for (const cache of set) cache.clear();
  }
}

/** Entries one cache keeps at most (it starts over when full). */
const MAX_ENTRIES = 10_000;

/**
 * Values by key, kept until their topic is announced; loads through while the feed is down.
 * "Not found" (undefined) is never kept, so unknown keys cannot fill memory.
 */
export class ChangeCache<V> {
  private readonly entries = new Map<string, V>();
  /** Bumped by every clear, so a load that raced a change does not store what it read. */
  private generation = 0;

  constructor(private readonly live: () => boolean) {}

  async get(key: string, load: () => Promise<V>): Promise<V> {
    if (this.entries.has(key)) return this.entries.get(key)!;
    const generation = this.generation;
    const value = await load();
    if (value !== undefined && this.live() && generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(key, value);
    }
    return value;
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}
