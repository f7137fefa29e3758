import type { GatewayConfig } from './gateway-config.schema';
import type { SectionContext } from './section-context';

/**
 * An environment variable that fills part of a section (`REDIS_URL` → `redis.url`), applied
 * to the section as read from the file — already interpolated, before validation — when
 * the variable is set and not empty.
 */
export interface EnvShortcut {
  readonly variable: string;
  /** Changes `section` (a copy of the file's) with `value`; reports through `context`. */
  apply(section: Record<string, unknown>, value: string, context: SectionContext): void;
}

/**
 * One top-level key of the configuration: the part of the file it reads and the part of
 * `GatewayConfig` it produces. A section owns its schema classes (with their defaults and
 * field coercion), its env shortcuts and its checks; the loader only runs them, in order.
 * Another library adds its own sections through `LoadConfigOptions.sections`.
 */
export interface ConfigSection<K extends string = string, T = unknown> {
  /** The key in the file and in the loaded configuration. */
  readonly key: K;
  readonly envShortcuts?: readonly EnvShortcut[];
  /**
   * Paths of the name-keyed maps in the section's value (`''` the value itself, `'users'`,
   * `'*.modelInfo'` in each entry): they get no prototype, also in a configuration built
   * without the loader (see `withOwnKeyedMaps`).
   */
  readonly ownKeyedMaps?: readonly string[];
  /** Validates the section's mapping (`{}` when absent) into its value; reports problems. */
  build(section: Record<string, unknown>, context: SectionContext): T;
  /**
   * True when a `${VAR}` missing at `path` (inside the section) does not matter for this
   * value (a disabled provider's key); otherwise the loader reports it.
   */
  tolerateMissing?(path: string, value: T): boolean;
  /**
   * Cross-field checks, once every section is built: within `value`, and against other
   * sections of `config`.
   */
  check?(value: T, config: GatewayConfig, context: SectionContext): void;
  /** Defaults that depend on the whole configuration; runs only when nothing was reported. */
  complete?(value: T, config: GatewayConfig): void;
}

/**
 * The value `section` produced in a loaded configuration, typed by the section: how a
 * library reads a section it added, which `GatewayConfig` does not name.
 */
export function sectionValue<T>(config: GatewayConfig, section: ConfigSection<string, T>): T {
  return (config as unknown as Record<string, T>)[section.key];
}

/** Types a section definition (its key and value) without widening them. */
export function defineConfigSection<K extends string, T>(
  section: ConfigSection<K, T>,
): ConfigSection<K, T> {
  return section;
}

/** A section that is one schema class: `key`'s mapping validated as `type`. */
export function schemaSection<K extends string, T extends object>(
  key: K,
  type: new () => T,
  more: Omit<ConfigSection<K, T>, 'key' | 'build'> = {},
): ConfigSection<K, T> {
  return { key, build: (section, context) => context.validate(type, section, key), ...more };
}

/** `variable` fills `field` of the section when the file leaves it unset. */
export function fieldFromEnv(variable: string, field: string): EnvShortcut {
  return {
    variable,
    apply: (section, value) => {
      if (section[field] === undefined) section[field] = value;
    },
  };
}

/**
 * `variable` adds the entry `name` to a name-keyed section when the file has none of that
 * name; the entry's problems are listed under the variable's name.
 */
export function entryFromEnv(
  variable: string,
  name: string,
  entry: (value: string) => Record<string, unknown>,
): EnvShortcut {
  return {
    variable,
    apply: (section, value, context) => {
      if (section[name] !== undefined) return;
      const added = entry(value);
      context.markFromEnv(added, variable);
      section[name] = added;
    },
  };
}
