import { startFakeProvider } from '@ai-gateway/fake-provider';
import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { TcpProxy } from '@ai-gateway/core/testing';
import { randomUUID } from 'node:crypto';
import { TestRedis } from './test-redis';
import { GatewayProcess, pollUntil } from './gateway-process';
import { OtlpReceiver } from './otlp-receiver';

type LogLine = Record<string, unknown> & { msg?: string };

/** The JSON lines a process wrote (anything else it printed is skipped). */
function linesOf(output: string): LogLine[] {
  const lines: LogLine[] = [];
  for (const text of output.split('\n')) {
    if (!text.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(text) as LogLine);
    } catch {
      // A line cut by the output's tail limit.
    }
  }
  return lines;
}

/**
 * Issue 17, must-show 2: every log line written for a request carries its request id — the
 * access log, a budget warning, the cache backend going down, a fallback — and, with
 * tracing on, its trace and span ids. Read from the real process's stdout.
 */
describe('request ids on every log line of a request (e2e, captured gateway log)', () => {
  let fake: FakeProviderServer;
  let receiver: OtlpReceiver;
  let redis: TcpProxy;
  let gateway: GatewayProcess;
  const prefix = `e2e-logs-${randomUUID().slice(0, 8)}`;
  const keyPrefix = `${prefix}:`;

  beforeAll(async () => {
    fake = await startFakeProvider({ port: 0 });
    receiver = await OtlpReceiver.start();
    // Redis through a proxy the test cuts: the cache and the budget store go down mid-run.
    redis = new TcpProxy(6379);
    await redis.start();
    gateway = await GatewayProcess.start({
      name: 'gateway',
      config: {
        logging: { level: 'info' },
        providers: {
          primary: {
            kind: 'openai',
            baseUrl: `${fake.url}/openai/v1`,
            apiKeys: ['sk-primary-test'],
            models: ['gpt-4o-mini'],
            maxRetries: 0,
          },
          // Unpriced, with a budget: its calls cannot be held against it (a budget warning).
          backup: {
            kind: 'openai-compatible',
            baseUrl: `${fake.url}/v1`,
            models: ['b-model'],
            budget: { dailyUsd: 10 },
          },
        },
        routes: { main: { targets: ['primary/gpt-4o-mini', 'backup/b-model'] } },
        budgets: { failOpen: true },
        cache: { backend: 'redis' },
        redis: { url: `redis://127.0.0.1:${redis.port}`, keyPrefix },
        // The task queue's keys under the run's prefix too (dropped after the run).
        tasks: { queue: { prefix } },
      },
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
    });
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop();
    await Promise.all([fake?.close(), receiver?.close(), redis?.stop()]);
    // The run's breaker, budget and queue keys.
    await (await TestRedis.open(keyPrefix)).close();
  });

  it('the access log, budget warnings, the cache going down and the fallback all name the request', async () => {
    // The first candidate fails (a fallback); Redis is gone (the cache and the budget store).
    fake.enqueue({ status: 503, errorMessage: 'overloaded' }, 1, { model: 'gpt-4o-mini' });
    await redis.stop();
    const { data, response } = await gateway.client.chat.completions
      .create({ model: 'main', temperature: 0, messages: [{ role: 'user', content: 'hello' }] })
      .withResponse();
    expect(data.model).toBe('b-model');
    const requestId = response.headers.get('x-request-id')!;

    const wanted = [
      'request',
      'falling back',
      'unpriced model: its calls are not held against budgets',
      'budget store unavailable: budgets fail open',
      'response cache unavailable: bypassed',
    ];
    // Log lines are written asynchronously: wait until all five are out.
    const lines = await pollUntil(
      () =>
        linesOf(gateway.output).filter(
          // Access-log lines of the readiness probes are not this request's.
          (l) => wanted.includes(String(l.msg)) && (l.msg !== 'request' || l.method === 'POST'),
        ),
      (mine) => wanted.every((msg) => mine.some((l) => l.msg === msg)),
      { timeoutMs: 15_000 },
    );
    expect([...new Set(lines.map((l) => l.msg))].sort()).toEqual([...wanted].sort());
    for (const line of lines) {
      expect({ msg: line.msg, requestId: line.requestId }).toEqual({ msg: line.msg, requestId });
    }

    // Tracing is on: each line also names the trace of the request's server span.
    const server = await receiver.waitFor(
      () => receiver.spans.find((s) => s.attributes['gateway.request_id'] === requestId),
      'server span',
    );
    for (const line of lines) {
      expect({ msg: line.msg, traceId: line.traceId, spanId: line.spanId }).toEqual({
        msg: line.msg,
        traceId: server.traceId,
        spanId: server.spanId,
      });
    }
    // Nothing of the prompt, the keys or the provider keys in any line.
    expect(gateway.output).not.toContain('sk-primary-test');
  });
});
