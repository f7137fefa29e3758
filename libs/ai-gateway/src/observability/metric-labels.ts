import type { GatewayConfig } from '../config/gateway-config.schema';

/** What every label value outside the allowed set becomes. */
export const OTHER_LABEL = 'other';

/**
 * Distinct values one free-form label (a reason, status, route, task type, circuit…)
 * keeps per registry before the rest become `other`. Far above what the code produces
 * (error codes, route patterns, status codes), far below what a caller could send.
 */
export const MAX_LABEL_VALUES = 100;

/** Free-form label values kept as they are: short, printable, no quotes or escapes. */
const PLAIN_VALUE = /^[\w.:/#@+-]{1,80}$/;

type LabelInput = Record<string, string | number | undefined>;

/** Provider and model names a configuration knows, by provider. */
interface KnownNames {
  config: GatewayConfig;
  providers: Set<string>;
  models: Map<string, Set<string>>;
}

/**
 * The one guard where metric labels enter: every series of the registry is a label set,
 * and a label set made from caller input (a random model id on a provider that accepts
 * any model, a made-up reason) is a series kept for the life of the process. So:
 * - `provider`: a configured provider, else `other`;
 * - `model`: a model configured for that provider (its `models`, `modelInfo`, a route
 *   target, a rate-limit fallback), else `other`;
 * - anything else: the first {@link MAX_LABEL_VALUES} plain values seen per label name,
 *   then `other`.
 * Without a configuration (a registry built bare, in unit tests) provider and model are
 * bounded like the free-form labels.
 */
export class MetricLabels {
  private known?: KnownNames;
  private readonly seen = new Map<string, Set<string>>();

  constructor(private readonly config?: () => GatewayConfig) {}

  provider(name: string): string {
    const known = this.names();
    if (!known) return this.bounded('provider', name);
    return known.providers.has(name) ? name : OTHER_LABEL;
  }

  model(provider: string, model: string): string {
    const known = this.names();
    if (!known) return this.bounded('model', model);
    return known.models.get(provider)?.has(model) ? model : OTHER_LABEL;
  }

  /** A free-form label: kept while fewer than the cap of values were seen under `label`. */
  bounded(label: string, value: string | number): string {
    const text = String(value);
    let values = this.seen.get(label);
    if (!values) {
      values = new Set();
      this.seen.set(label, values);
    }
    if (values.has(text)) return text;
    if (values.size >= MAX_LABEL_VALUES || !PLAIN_VALUE.test(text)) return OTHER_LABEL;
    values.add(text);
    return text;
  }

  /** Every label of one observation, each through its rule. */
  of(labels: LabelInput): Record<string, string> {
    const safe: Record<string, string> = {};
    for (const [name, value] of Object.entries(labels)) {
      if (value === undefined) continue;
      if (name === 'provider') safe[name] = this.provider(String(value));
      else if (name === 'model')
        safe[name] = this.model(String(labels.provider ?? ''), String(value));
      else safe[name] = this.bounded(name, value);
    }
    return safe;
  }

  private names(): KnownNames | undefined {
    const config = this.config?.();
    if (!config) return undefined;
    if (this.known?.config !== config) this.known = namesOf(config);
    return this.known;
  }
}

function namesOf(config: GatewayConfig): KnownNames {
  const providers = new Set(Object.keys(config.providers));
  const models = new Map<string, Set<string>>();
  const add = (provider: string, model: string): void => {
    if (!providers.has(provider)) return;
    let set = models.get(provider);
    if (!set) {
      set = new Set();
      models.set(provider, set);
    }
    set.add(model);
  };
  for (const [name, provider] of Object.entries(config.providers)) {
    for (const model of provider.models ?? []) add(name, model);
    for (const model of Object.keys(provider.modelInfo ?? {})) add(name, model);
  }
  const targets = Object.values(config.routes ?? {}).flatMap((route) => [
    ...(route.targets ?? []),
    ...(route.rateLimitFallback ? [route.rateLimitFallback] : []),
  ]);
  for (const target of targets) {
    const slash = target.indexOf('/');
    if (slash > 0) add(target.slice(0, slash), target.slice(slash + 1));
  }
  return { config, providers, models };
}

/** The prom-client methods that take a label set (object) as their first argument. */
const LABELLED_METHODS = ['inc', 'dec', 'set', 'observe', 'startTimer', 'remove'] as const;

/**
 * Routes every label set given to `metric` through `guard`, whichever file calls it
 * (`metric.inc({ ... })`, `metric.labels(...)`). Returns `metric`.
 */
export function guardLabels<T extends object>(
  metric: T,
  labelNames: readonly string[],
  guard: (labels: LabelInput) => Record<string, string>,
): T {
  const target = metric as unknown as Record<string, ((...args: unknown[]) => unknown) | undefined>;
  for (const method of LABELLED_METHODS) {
    const original = target[method]?.bind(metric);
    if (!original) continue;
    target[method] = (first?: unknown, ...rest: unknown[]) =>
      isLabelSet(first) ? original(guard(first), ...rest) : original(first, ...rest);
  }
  const labels = target.labels?.bind(metric);
  if (labels) {
    target.labels = (...args: unknown[]) => {
      if (args.length === 1 && isLabelSet(args[0])) return labels(guard(args[0]));
      const named: LabelInput = {};
      labelNames.forEach((name, i) => (named[name] = args[i] as string | undefined));
      return labels(guard(named));
    };
  }
  return metric;
}

function isLabelSet(value: unknown): value is LabelInput {
  return typeof value === 'object' && value !== null;
}
