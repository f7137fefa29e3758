import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import type { ConfigSection } from './config-section';
import type { MissingVariable } from './env-interpolation';
import { interpolateEnv } from './env-interpolation';
import { configSections } from './gateway-config.sections';
import type { GatewayConfig } from './gateway-config.schema';
import type { Env } from './section-context';
import { SectionContext } from './section-context';

export type { Env } from './section-context';
export { LOCAL_FAKE_PROVIDER } from './providers.section';

export interface LoadConfigOptions {
  /** Inline config in the file's shape; used instead of reading a file. */
  config?: Record<string, unknown>;
  /** YAML file; defaults to `$AI_GATEWAY_CONFIG`. */
  configPath?: string;
  env?: Env;
  /** Sections of other libraries, read after the core ones (see `ConfigSection`). */
  sections?: readonly ConfigSection[];
}

/**
 * Reads, interpolates and validates the configuration once. Throws a single
 * `GatewayError(INVALID_CONFIG)` listing every problem, so a broken file is fixed in one
 * pass rather than one error per boot. What each key means, its defaults, env shortcuts
 * and checks belong to its section (`gateway-config.sections.ts`).
 */
export function loadGatewayConfig(options: LoadConfigOptions = {}): GatewayConfig {
  const sections = configSections(options.sections);
  const env = options.env ?? {};
  const context = new SectionContext(env);
  const path = options.configPath ?? env.AI_GATEWAY_CONFIG;

  let raw: Record<string, unknown> = {};
  if (options.config) raw = options.config;
  else if (path) raw = readYaml(path, context);

  const missing: MissingVariable[] = [];
  const tree = interpolateEnv(raw, env, missing) as Record<string, unknown>;
  const keys = new Set(sections.map((section) => section.key));
  for (const key of Object.keys(tree)) {
    if (!keys.has(key)) context.report(`${key}: unknown key`);
  }

  const config: Record<string, unknown> = {};
  for (const section of sections) {
    const input = { ...context.mapping(tree[section.key], section.key) };
    for (const shortcut of section.envShortcuts ?? []) {
      const value = env[shortcut.variable];
      if (value !== undefined && value !== '') shortcut.apply(input, value, context);
    }
    config[section.key] = section.build(input, context);
  }
  for (const item of missing) {
    const section = sections.find((s) => within(item.path, s.key));
    const inner = section ? item.path.slice(section.key.length).replace(/^\./, '') : '';
    if (section?.tolerateMissing?.(inner, config[section.key])) continue;
    context.report(`${item.path}: environment variable ${item.variable} is not set`);
  }
  const loaded = config as unknown as GatewayConfig;
  for (const section of sections) section.check?.(config[section.key], loaded, context);

  if (context.problems.length > 0) {
    throw new GatewayError(
      GatewayErrorCode.INVALID_CONFIG,
      `Invalid gateway configuration:\n  - ${context.problems.join('\n  - ')}`,
    );
  }
  for (const section of sections) section.complete?.(config[section.key], loaded);
  return loaded;
}

/** `path` is `key` or lies inside it (`key.x`, `key[0]`). */
function within(path: string, key: string): boolean {
  return path === key || path.startsWith(`${key}.`) || path.startsWith(`${key}[`);
}

function readYaml(path: string, context: SectionContext): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    context.report(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return {};
  }
  try {
    const parsed: unknown = parseYaml(text);
    if (parsed === null || parsed === undefined) return {};
    return context.mapping(parsed, path);
  } catch (error) {
    context.report(`${path}: invalid YAML (${(error as Error).message.split('\n')[0]})`);
    return {};
  }
}
