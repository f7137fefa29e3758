import { startFakeProvider } from '@ai-gateway/fake-provider';
import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { TaskQueueName } from '@ai-gateway/resume';
import type { TaskJobView } from '@ai-gateway/resume';
import { PARSE_ANSWER, SAMPLE_RESUME_TEXT } from '@ai-gateway/resume/testing';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { parse } from 'yaml';
import { GatewayProcess, WORKER_MAIN, pollUntil } from './gateway-process';
import { REDIS_URL, TestRedis } from './test-redis';

const ROOT = join(__dirname, '..', '..', '..');
const DASHBOARD = join(ROOT, 'deploy/grafana/dashboards/ai-gateway.json');
const DATASOURCES = join(ROOT, 'deploy/grafana/provisioning/datasources/prometheus.yaml');
const CONNECTION = { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null };
const ask = { messages: [{ role: 'user' as const, content: 'hello' }] };

interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: Array<{ expr: string; refId: string; datasource?: { uid: string } }>;
  panels?: Panel[];
}

/** PromQL words that look like metric names but are not. */
const PROMQL_WORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'inf',
  'nan',
]);

/**
 * The metric names one PromQL expression reads: strings, range and subquery selectors,
 * label matchers and grouping clauses removed first, then every identifier not called
 * as a function (`rate(`) and not a PromQL keyword. Suffixes stay: `x_bucket` is what
 * the expression selects, checked against the scrape's families by {@link missingFrom}.
 */
function metricNamesOf(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/@\s*[\w.()]+/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/(?<![\w:.$])([a-zA-Z_:][\w:]*)(\s*\()?/g)) {
    const [, name, call] = match;
    if (call || PROMQL_WORDS.has(name.toLowerCase())) continue;
    names.add(name);
  }
  return [...names];
}

/** Families of a Prometheus text scrape (`# TYPE`) and the sample names that have a value. */
interface Scrape {
  types: Map<string, string>;
  samples: Set<string>;
}

function parseScrape(text: string): Scrape {
  const types = new Map<string, string>();
  const samples = new Set<string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type) types.set(type[1], type[2]);
    else if (line && !line.startsWith('#')) samples.add(/^[^{\s]+/.exec(line)![0]);
  }
  return { types, samples };
}

/**
 * Why `name` is not served by any of `scrapes`, or undefined when one has a sample of it
 * under a family of the right type: `_bucket` only of a histogram, `_sum`/`_count` of a
 * histogram or summary, any other name a counter, gauge or untyped family of its own.
 */
function missingFrom(name: string, scrapes: Scrape[]): string | undefined {
  const suffix = /_(bucket|sum|count)$/.exec(name);
  const base = suffix ? name.slice(0, -suffix[0].length) : name;
  for (const { types, samples } of scrapes) {
    if (!samples.has(name)) continue;
    const own = types.get(name);
    if (own && own !== 'histogram' && own !== 'summary') return undefined;
    const family = types.get(base);
    if (suffix?.[1] === 'bucket' && family === 'histogram') return undefined;
    if (suffix && suffix[1] !== 'bucket' && (family === 'histogram' || family === 'summary')) {
      return undefined;
    }
  }
  return `${name}: no sample of that name and type in any scrape`;
}

function panelsOf(panels: Panel[]): Panel[] {
  return panels.flatMap((panel) => [panel, ...panelsOf(panel.panels ?? [])]);
}

const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
};
const panels = panelsOf(dashboard.panels);
const queried = panels.filter((panel) => panel.type !== 'row');
const expressions = queried.flatMap((panel) => (panel.targets ?? []).map((t) => t.expr));
const dashboardMetrics = [...new Set(expressions.flatMap(metricNamesOf))].sort();

describe('metricNamesOf', () => {
  it('keeps metric names, drops functions, matchers, ranges, grouping and keywords', () => {
    expect(
      metricNamesOf(
        'histogram_quantile(0.95, sum by (le, type) (rate(gateway_task_job_duration_seconds_bucket{job="worker"}[$__rate_interval])))',
      ),
    ).toEqual(['gateway_task_job_duration_seconds_bucket']);
    expect(
      metricNamesOf(
        'sum by (layer) (rate(a_total{result="hit"}[5m] offset 1h)) / on (layer) group_left sum without (x) (rate(b_total[5m])) > bool 0 and c',
      ),
    ).toEqual(['a_total', 'b_total', 'c']);
    expect(metricNamesOf('max by (circuit) (gateway_breaker_state) * 3600')).toEqual([
      'gateway_breaker_state',
    ]);
  });

  it('accepts a name only with a sample under a family of the right type', () => {
    const scrape = parseScrape(
      [
        '# TYPE h histogram',
        'h_bucket{le="1"} 1',
        'h_sum 1',
        'h_count 1',
        '# TYPE c_total counter',
        'c_total 0',
        '# TYPE quiet_total counter',
        '# TYPE g gauge',
        'g_bucket 1',
      ].join('\n'),
    );
    for (const ok of ['h_bucket', 'h_sum', 'h_count', 'c_total']) {
      expect([ok, missingFrom(ok, [scrape])]).toEqual([ok, undefined]);
    }
    // No histogram family named g; `h` itself has no sample; quiet_total was never incremented.
    for (const bad of ['h', 'g_bucket', 'quiet_total', 'invented_total']) {
      expect([bad, missingFrom(bad, [scrape])]).toEqual([bad, expect.any(String)]);
    }
  });
});

describe('the Grafana dashboard (deploy/grafana/dashboards/ai-gateway.json)', () => {
  const provisioned = parse(readFileSync(DATASOURCES, 'utf8')) as {
    datasources: Array<{ uid: string; type: string; url: string }>;
  };

  it('is Grafana dashboard JSON: uid, title, panels with unique ids, titles and positions', () => {
    expect(dashboard.uid).toMatch(/^[\w-]{1,40}$/);
    expect(dashboard.title).toBeTruthy();
    expect(dashboard.schemaVersion).toBeGreaterThan(30);
    expect(queried.length).toBeGreaterThan(10);
    const ids = panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of panels) {
      expect([panel.id, typeof panel.title, panel.title.length > 0]).toEqual([
        panel.id,
        'string',
        true,
      ]);
    }
  });

  it('queries only the provisioned Prometheus data source, with one refId per query', () => {
    expect(provisioned.datasources).toHaveLength(1);
    const [source] = provisioned.datasources;
    expect(source).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090' });
    for (const panel of queried) {
      expect([panel.title, panel.datasource]).toEqual([
        panel.title,
        { type: 'prometheus', uid: source.uid },
      ]);
      const targets = panel.targets ?? [];
      expect([panel.title, targets.length > 0]).toEqual([panel.title, true]);
      for (const target of targets) {
        expect([panel.title, target.datasource?.uid ?? source.uid]).toEqual([
          panel.title,
          source.uid,
        ]);
        expect(target.expr.trim()).not.toBe('');
      }
      const refIds = targets.map((target) => target.refId);
      expect(new Set(refIds).size).toBe(refIds.length);
    }
  });

  it('takes percentiles over histogram buckets, grouped by le', () => {
    const quantiles = expressions.filter((expr) => expr.includes('histogram_quantile'));
    expect(quantiles.length).toBeGreaterThan(0);
    for (const expr of quantiles) {
      expect(expr).toMatch(/_bucket\b/);
      expect(expr).toMatch(/by \([^)]*\ble\b/);
    }
  });
});

/**
 * Every metric the dashboard reads, scraped from a real gateway process and a real
 * worker process (BullMQ on the machine's Redis, a run's own prefix) after a scripted
 * load that makes each series exist: a success, a stream, a retry and a fallback that
 * open a circuit, a cache hit, a rate-limited request, a budget refusal and a task job.
 */
describe('the dashboard against real /metrics (e2e)', () => {
  let fake: FakeProviderServer;
  let gateway: GatewayProcess;
  let worker: GatewayProcess;
  let queue: Queue;
  const prefix = `e2e-grafana-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    fake = await startFakeProvider({ port: 0 });
    const provider = (model: string, extra: Record<string, unknown> = {}) => ({
      kind: 'openai-compatible',
      baseUrl: `${fake.url}/v1`,
      models: [model],
      modelInfo: { [model]: { inputCostPerMTok: 2.5, outputCostPerMTok: 10 } },
      ...extra,
    });
    const config = {
      providers: {
        primary: provider('p-model', {
          maxRetries: 1,
          breaker: { failureThreshold: 2, minRequests: 1_000, openMs: 600_000 },
        }),
        backup: provider('b-model'),
        openai: {
          kind: 'openai',
          baseUrl: `${fake.url}/openai/v1`,
          apiKeys: ['sk-openai-test'],
          models: ['gpt-4o-mini'],
        },
      },
      routes: {
        main: { targets: ['primary/p-model', 'backup/b-model'], retryBeforeFallback: true },
        resume: { targets: ['openai/gpt-4o-mini'] },
      },
      cache: { backend: 'memory' },
      rateLimits: { users: { limited: { requestsPerMinute: 1 } } },
      budgets: { users: { broke: { dailyUsd: 0.01 } } },
      redis: { keyPrefix: `${prefix}:` },
      tasks: { queue: { prefix, attempts: 1 }, worker: { concurrency: 1 } },
    };
    const env = { REDIS_URL };
    gateway = await GatewayProcess.start({ name: 'gateway', config, env });
    worker = await GatewayProcess.start({
      name: 'worker',
      config,
      env: { ...env, WORKER_SHUTDOWN_TIMEOUT_MS: '5000' },
      main: WORKER_MAIN,
      portVariable: 'WORKER_PORT',
    });
    queue = new Queue(TaskQueueName.TASKS, { connection: CONNECTION, prefix });
  }, 90_000);

  afterAll(async () => {
    await worker?.stop();
    await gateway?.stop();
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    // The run's rate-limit, budget and cache keys.
    await (await TestRedis.open(`${prefix}:`)).close();
    await fake?.close();
  });

  async function scrape(target: GatewayProcess): Promise<Scrape> {
    const res = await fetch(`${target.url}/metrics`);
    expect([target.name, res.status]).toEqual([target.name, 200]);
    return parseScrape(await res.text());
  }

  async function status(call: Promise<unknown>): Promise<number | string> {
    try {
      await call;
      return 200;
    } catch (error) {
      if (error instanceof OpenAI.APIError) return `${error.status} ${error.code}`;
      throw error;
    }
  }

  it('serves, in the scrapes of the gateway and the worker, every metric the dashboard queries', async () => {
    const chat = gateway.client.chat.completions;
    // A failing primary: one retry, then the fallback to backup; two failures open its circuit.
    fake.enqueue({ status: 500 }, 2, { model: 'p-model' });
    expect(await status(chat.create({ model: 'main', ...ask }))).toBe(200);
    // The next call skips the open circuit; a stream gives a time to first token.
    const stream = await chat.create({ model: 'main', stream: true, ...ask });
    for await (const chunk of stream) void chunk;
    // A deterministic request twice: the second is a cache hit (and a saving).
    const cached = { model: 'backup/b-model', temperature: 0, max_tokens: 50, ...ask };
    expect(await status(chat.create(cached))).toBe(200);
    expect(await status(chat.create(cached))).toBe(200);
    // One request a minute for "limited": the second is refused by the rate limiter.
    const limited = { headers: { 'x-gateway-user': 'limited' } };
    expect(await status(chat.create({ model: 'backup/b-model', ...ask }, limited))).toBe(200);
    expect(await status(chat.create({ model: 'backup/b-model', ...ask }, limited))).toBe(
      '429 rate_limit_exceeded',
    );
    // Worst case of 4,096 output tokens at $10/M is over a $0.01 budget: refused.
    const broke = { headers: { 'x-gateway-user': 'broke' } };
    expect(await status(chat.create({ model: 'backup/b-model', ...ask }, broke))).toBe(
      '429 budget_exceeded',
    );
    // A task job, run by the worker.
    fake.enqueue({ text: PARSE_ANSWER }, -1, { model: 'gpt-4o-mini' });
    const job = await gateway.client.post<TaskJobView>('/tasks', {
      body: { type: 'parse', input: { resumeText: SAMPLE_RESUME_TEXT }, async: true },
    });
    const done = await pollUntil(
      () => gateway.client.get<TaskJobView>(`/jobs/${job.id}`),
      (view) => view.state === 'completed' || view.state === 'failed',
      { timeoutMs: 30_000, everyMs: 100 },
    );
    expect(done.state).toBe('completed');

    const scrapes = await Promise.all([scrape(gateway), scrape(worker)]);
    const missing = dashboardMetrics
      .map((name) => missingFrom(name, scrapes))
      .filter((reason) => reason !== undefined);
    expect(missing).toEqual([]);
    expect(dashboardMetrics.length).toBeGreaterThan(15);
  }, 90_000);
});
