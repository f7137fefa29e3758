import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type { RedisConfig } from '../config/gateway-config.schema';
import { GatewayConfigService } from '../config/gateway-config.service';

/**
 * `work`, or a rejection once `ms` have passed without an answer. The timer is dropped
 * as soon as `work` settles; a late answer is ignored.
 */
export function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** Longest wait for Redis at start-up. */
const READY_WAIT_MS = 3_000;

/** A Lua script run atomically in Redis (EVALSHA with an EVAL fallback). */
export interface LuaScript {
  readonly name: string;
  readonly source: string;
}

/**
 * The only place that talks to ioredis. Built for the request path: no offline queue
 * and a short command timeout, so an outage is a fast error, never a hang; it
 * reconnects on its own. Absent (`enabled === false`) when no Redis is configured.
 */
@Injectable()
export class RedisConnection implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RedisConnection.name);
  private readonly client?: Redis;
  private readonly settings?: RedisConfig;
  private readonly shas = new Map<string, string>();

  constructor(config: GatewayConfigService) {
    this.settings = config.current.redis;
    if (!this.settings?.url) return;
    this.client = new Redis(this.settings.url, {
      enableOfflineQueue: false,
      commandTimeout: this.settings.commandTimeoutMs,
      maxRetriesPerRequest: 0,
      connectTimeout: 2_000,
      retryStrategy: (times) => Math.min(50 * 2 ** times, 2_000),
      lazyConnect: false,
    });
    this.client.on('error', (error: Error) => {
      // ioredis reports every failed reconnect; one line per distinct cause is enough.
      this.logger.warn({ msg: 'redis error', error: error.message });
    });
  }

  /**
   * Waits (bounded) for the first connection, so the first requests after boot find
   * Redis ready instead of failing fast on a connection still being opened. A Redis that
   * is down does not stop the boot: its users degrade as configured.
   */
  async onModuleInit(): Promise<void> {
    const client = this.client;
    if (!client || client.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        client.off('ready', done);
        resolve();
      };
      const timer = setTimeout(() => {
        this.logger.warn({ msg: 'redis not ready at start-up; continuing without it for now' });
        done();
      }, READY_WAIT_MS);
      timer.unref();
      client.once('ready', done);
    });
  }

  /** True when Redis is configured (it may still be down: calls then reject fast). */
  get enabled(): boolean {
    return this.client !== undefined;
  }

  /** True while connected and ready for commands. */
  get ready(): boolean {
    return this.client?.status === 'ready';
  }

  /** A namespaced key: `<prefix><parts joined by ':'>`. */
  key(...parts: string[]): string {
    return `${this.settings?.keyPrefix ?? 'aigw:'}${parts.join(':')}`;
  }

  /**
   * Runs a Lua script atomically; rejects fast when Redis is down or slow. The whole
   * operation (EVALSHA, and EVAL after a NOSCRIPT) is bounded by one command timeout.
   */
  async run(script: LuaScript, keys: string[], args: Array<string | number>): Promise<unknown> {
    const client = this.require();
    let sha = this.shas.get(script.name);
    if (!sha) {
      sha = createHash('sha1').update(script.source).digest('hex');
      this.shas.set(script.name, sha);
    }
    const known = sha;
    return this.bounded(async () => {
      try {
        return await client.evalsha(known, keys.length, ...keys, ...args);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) throw error;
        return client.eval(script.source, keys.length, ...keys, ...args);
      }
    });
  }

  /** A string value, or null when absent. */
  async get(key: string): Promise<string | null> {
    const client = this.require();
    return this.bounded(() => client.get(key));
  }

  /** Sets a string value that expires after `ttlMs`. */
  async setWithTtl(key: string, value: string, ttlMs: number): Promise<void> {
    const client = this.require();
    await this.bounded(() => client.set(key, value, 'PX', Math.max(1, Math.round(ttlMs))));
  }

  async del(key: string): Promise<void> {
    const client = this.require();
    await this.bounded(() => client.del(key));
  }

  /**
   * Stream entries after `afterId` (exclusive; `0` = from the start), at most `count`,
   * as `[id, fields]` pairs with each entry's field/value list flattened.
   */
  async readStream(
    key: string,
    afterId: string,
    count: number,
  ): Promise<Array<[string, string[]]>> {
    const client = this.require();
    return this.bounded(() =>
      client.xrange(key, afterId === '0' ? '-' : `(${afterId}`, '+', 'COUNT', count),
    );
  }

  /** Publishes a message on a channel (bounded like every command); resolves with the receivers. */
  async publish(channel: string, message: string): Promise<number> {
    const client = this.require();
    return this.bounded(() => client.publish(channel, message));
  }

  /**
   * Listens on a channel through a connection of its own (a subscribed connection runs no
   * other command), re-subscribed by ioredis after a reconnect. Resolves once subscribed;
   * the returned function stops listening and closes that connection.
   */
  async subscribe(channel: string, onMessage: (message: string) => void): Promise<() => void> {
    const subscriber = this.require().duplicate({
      enableOfflineQueue: true,
      commandTimeout: undefined,
      maxRetriesPerRequest: null,
    });
    subscriber.on('error', (error: Error) => {
      this.logger.warn({ msg: 'redis subscriber error', channel, error: error.message });
    });
    subscriber.on('message', (from: string, message: string) => {
      if (from === channel) onMessage(message);
    });
    await subscriber.subscribe(channel);
    return () => subscriber.disconnect();
  }

  /** Round-trip check for health indicators. */
  async ping(): Promise<boolean> {
    const client = this.require();
    return (await this.bounded(() => client.ping())) === 'PONG';
  }

  async onModuleDestroy(): Promise<void> {
    if (!this.client) return;
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }

  /**
   * One deadline for a whole operation, whatever ioredis does inside it: its command
   * timeout covers one command, not a command and its fallback, and not a command parked
   * while the connection changes state. A request never waits on Redis longer than this.
   */
  private bounded<T>(operation: () => Promise<T>): Promise<T> {
    return withDeadline(operation(), this.settings?.commandTimeoutMs ?? 2_000);
  }

  private require(): Redis {
    if (!this.client) throw new Error('Redis is not configured');
    return this.client;
  }
}
