import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { FSWatcher } from 'node:fs';
import { watch } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { basename, dirname } from 'node:path';
import type { ConfigReloadSource } from '../config/config.providers';
import { GatewayConfigService } from '../config/gateway-config.service';
import type { GatewayConfig } from '../config/gateway-config.schema';
import { GatewayError } from '../errors/gateway.error';
import { GatewayMetrics } from '../observability/gateway-metrics.service';
import { RedisConnection } from '../redis/redis-connection.service';
import { configVersion, redactedConfig, restartOnlyChanges } from './config-view';

/** Injection token of the module's {@link ConfigReloadSource} (absent: reloading is off). */
export const CONFIG_RELOAD_SOURCE = Symbol('CONFIG_RELOAD_SOURCE');

/** What started a reload. */
export type ReloadTrigger = 'file' | 'signal' | 'admin' | 'peer';

/** A file change is acted on once it has been quiet this long (editors write in steps). */
export const RELOAD_DEBOUNCE_MS = 300;

/** The outcome of one reload. */
export interface ReloadOutcome {
  ok: boolean;
  /** True when the new file differed from the loaded configuration. */
  changed: boolean;
  /** The loaded configuration's version after the attempt (unchanged on a refusal). */
  version: string;
  /** Every problem of a refused file (validation errors, restart-only changes). */
  errors?: string[];
}

/** `GET /v1/admin/config`: what is loaded, since when, from where, secrets redacted. */
export interface ConfigStatus {
  version: string;
  loadedAt: string;
  trigger: ReloadTrigger | 'start';
  file: string | null;
  reloadable: boolean;
  config: unknown;
}

/**
 * Hot reload of the configuration: on a change of the watched file (debounced), on
 * `SIGHUP` (the app forwards it), on `POST /v1/admin/config/reload`, and when another
 * instance reloaded (Redis pub/sub — each instance then reads its own file). The new file
 * is validated in full first; a file that fails, or that changes a setting only a restart
 * can change, changes nothing and is reported. Requests in flight finish on the snapshot
 * they started with (every consumer reads `GatewayConfigService.current` per use).
 */
@Injectable()
export class ConfigReloader implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ConfigReloader.name);
  private readonly instance = randomUUID();
  private version: string;
  private loadedAt = new Date();
  private trigger: ReloadTrigger | 'start' = 'start';
  private watcher?: FSWatcher;
  private debounce?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  /** The end of the last reload asked for: the next one starts after it. */
  private tail: Promise<unknown> = Promise.resolve();
  /** The reload asked for that has not started yet: later asks join it. */
  private waiting?: { trigger: ReloadTrigger; outcome: Promise<ReloadOutcome> };

  constructor(
    private readonly config: GatewayConfigService,
    private readonly redis: RedisConnection,
    private readonly metrics: GatewayMetrics,
    @Optional() @Inject(CONFIG_RELOAD_SOURCE) private readonly source?: ConfigReloadSource,
  ) {
    this.version = configVersion(config.current);
  }

  /** The Redis channel instances tell each other on (under the fleet's key prefix). */
  get channel(): string {
    return this.redis.key('config', 'reload');
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.source) return;
    if (this.source.file) this.watch(this.source.file);
    if (this.redis.enabled) {
      try {
        this.unsubscribe = await this.redis.subscribe(this.channel, (message) =>
          this.onPeer(message),
        );
      } catch (error) {
        this.logger.warn({
          msg: 'config reload: not listening to other instances',
          error: text(error),
        });
      }
    }
  }

  onApplicationShutdown(): void {
    clearTimeout(this.debounce);
    this.watcher?.close();
    this.unsubscribe?.();
  }

  status(): ConfigStatus {
    return {
      version: this.version,
      loadedAt: this.loadedAt.toISOString(),
      trigger: this.trigger,
      file: this.source?.file ?? null,
      reloadable: this.source !== undefined,
      config: redactedConfig(this.config.current),
    };
  }

  /**
   * Reads the configuration again and applies it when it is valid and changes nothing that
   * needs a restart. Reloads run one at a time, and a burst (file events, peers' messages)
   * is one more reload after the running one: every ask while it waits joins it, since it
   * reads the file as it is then. A local reload tells the other instances.
   */
  reload(trigger: ReloadTrigger): Promise<ReloadOutcome> {
    if (this.waiting) {
      // A local ask outranks a peer's: the reload that runs then tells the others.
      if (this.waiting.trigger === 'peer') this.waiting.trigger = trigger;
      return this.waiting.outcome;
    }
    const waiting = { trigger } as { trigger: ReloadTrigger; outcome: Promise<ReloadOutcome> };
    waiting.outcome = this.tail.then(() => {
      this.waiting = undefined;
      return this.apply(waiting.trigger);
    });
    this.waiting = waiting;
    this.tail = waiting.outcome.catch(() => undefined);
    return waiting.outcome;
  }

  private async apply(trigger: ReloadTrigger): Promise<ReloadOutcome> {
    const outcome = this.attempt(trigger);
    this.metrics.configReloads.inc({ trigger, outcome: outcome.ok ? 'applied' : 'refused' });
    if (outcome.ok) {
      if (outcome.changed) {
        this.logger.log({ msg: 'configuration reloaded', trigger, version: outcome.version });
      }
      if (trigger !== 'peer' && this.redis.enabled) await this.tellPeers();
    } else {
      this.logger.error({
        msg: 'configuration reload refused: nothing changed',
        trigger,
        errors: outcome.errors,
      });
    }
    return outcome;
  }

  private attempt(trigger: ReloadTrigger): ReloadOutcome {
    if (!this.source) {
      return {
        ok: false,
        changed: false,
        version: this.version,
        errors: [
          'this gateway was given its configuration as an object: there is nothing to reload',
        ],
      };
    }
    let next: GatewayConfig;
    try {
      next = this.source.load();
    } catch (error) {
      const errors = error instanceof GatewayError ? problemsOf(error.message) : [text(error)];
      return { ok: false, changed: false, version: this.version, errors };
    }
    const restart = restartOnlyChanges(this.config.current, next);
    if (restart.length > 0) {
      return {
        ok: false,
        changed: false,
        version: this.version,
        errors: restart.map((path) => `${path}: changes only with a restart`),
      };
    }
    const version = configVersion(next);
    if (version === this.version) return { ok: true, changed: false, version };
    this.config.replace(next);
    this.version = version;
    this.loadedAt = new Date();
    this.trigger = trigger;
    return { ok: true, changed: true, version };
  }

  private async tellPeers(): Promise<void> {
    try {
      await this.redis.publish(this.channel, JSON.stringify({ from: this.instance }));
    } catch (error) {
      this.logger.warn({ msg: 'config reload: other instances not told', error: text(error) });
    }
  }

  private onPeer(message: string): void {
    let from: unknown;
    try {
      from = (JSON.parse(message) as { from?: unknown }).from;
    } catch {
      return;
    }
    if (from !== this.instance) void this.reload('peer');
  }

  /**
   * Watches the file's directory (an editor or a ConfigMap update replaces the file, which
   * ends a watch on the file itself) and reloads once changes have settled.
   */
  private watch(file: string): void {
    try {
      this.watcher = watch(dirname(file), (_event, name) => {
        if (name !== null && name !== basename(file) && !name.startsWith('..')) return;
        clearTimeout(this.debounce);
        this.debounce = setTimeout(() => void this.reload('file'), RELOAD_DEBOUNCE_MS);
        this.debounce.unref();
      });
      this.watcher.unref();
      this.watcher.on('error', (error) => {
        this.logger.warn({ msg: 'config file watch stopped', error: text(error) });
      });
    } catch (error) {
      this.logger.warn({ msg: 'config file not watched', file, error: text(error) });
    }
  }
}

/** The loader's message lists one problem per `  - ` line. */
function problemsOf(message: string): string[] {
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('- '))
    .map((line) => line.slice(2));
  return lines.length > 0 ? lines : [message];
}

function text(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
