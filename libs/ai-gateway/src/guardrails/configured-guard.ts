import type { FailMode, GuardConfig } from '../config/guardrails-config.schema';

/**
 * A built-in guard whose settings live in `guardrails.<its section>`: its fail mode and time
 * budget are read from the current configuration on every request (a hot reload applies).
 */
export abstract class ConfiguredGuard<C extends GuardConfig> {
  constructor(protected readonly settings: () => C) {}

  get failMode(): FailMode {
    return this.settings().failMode;
  }

  get timeoutMs(): number | undefined {
    return this.settings().timeoutMs;
  }
}
