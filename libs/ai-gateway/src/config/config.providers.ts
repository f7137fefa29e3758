import type { ConfigSection } from './config-section';
import { loadGatewayConfig } from './gateway-config.loader';
import type { GatewayConfig } from './gateway-config.schema';
import type { Env } from './section-context';
import { GatewayConfigService } from './gateway-config.service';

/** Where the module's configuration comes from (the config part of its options). */
export interface GatewayConfigSource {
  /** An already validated configuration (from `loadGatewayConfig`); used as is. */
  resolvedConfig?: GatewayConfig;
  /** Inline configuration, in the YAML file's shape; takes precedence over `configPath`. */
  config?: Record<string, unknown>;
  /** Path of the YAML config; defaults to `$AI_GATEWAY_CONFIG`, then to none. */
  configPath?: string;
  /** Environment for `${VAR}` interpolation and the env shortcuts; defaults to `process.env`. */
  env?: Env;
  /**
   * Sections of other libraries read with the core's (`@ai-gateway/resume`'s `tasksSection`);
   * without one, its key in the file is an unknown key.
   */
  configSections?: readonly ConfigSection[];
  /**
   * How to read the configuration again for a hot reload (file change, `SIGHUP`, the admin
   * call, another instance's reload). Default: the same `configPath`/`config`/`env` read
   * again — none with a `resolvedConfig`, which the app passes with its own `reload`.
   */
  reload?: ConfigReloadSource;
}

/** Where a hot reload reads the configuration from. */
export interface ConfigReloadSource {
  /** Reads and validates it again (throws `INVALID_CONFIG` listing every problem). */
  load(): GatewayConfig;
  /** The YAML file to watch for changes, if any. */
  file?: string;
}

/** The module's reload source: the caller's, or the same reading again (none for a resolved config). */
export function configReloadSourceOf(source: GatewayConfigSource): ConfigReloadSource | undefined {
  if (source.reload) return source.reload;
  if (source.resolvedConfig) return undefined;
  const env = source.env ?? process.env;
  const file = source.config ? undefined : (source.configPath ?? env.AI_GATEWAY_CONFIG);
  return {
    file,
    load: () =>
      loadGatewayConfig({
        config: source.config,
        configPath: source.configPath,
        env,
        sections: source.configSections,
      }),
  };
}

/**
 * Loads and validates the configuration once, at module creation. This file and the
 * loader are the only library code that reads `process.env`.
 */
export function createGatewayConfigService(source: GatewayConfigSource): GatewayConfigService {
  return new GatewayConfigService(
    source.resolvedConfig ??
      loadGatewayConfig({
        config: source.config,
        configPath: source.configPath,
        env: source.env ?? process.env,
        sections: source.configSections,
      }),
    source.configSections,
  );
}
