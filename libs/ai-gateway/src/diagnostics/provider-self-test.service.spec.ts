import type { ChatPipeline } from '../pipeline/chat-pipeline.service';
import { loadGatewayConfig } from '../config/gateway-config.loader';
import { GatewayConfigService } from '../config/gateway-config.service';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import type { CallOptions, ChatResult } from '../shared/call-result';
import type { Clock } from '../shared/clock';
import type { ChatRequest } from '../types/unified';
import { PROBE_ANSWER } from './provider-self-test.prompt';
import { SELF_TEST_CONCURRENCY, ProviderSelfTest } from './provider-self-test.service';

const PROVIDER_KEY = 'sk-alpha-0123456789abcdef';

/** A call the stub pipeline received, and how to end it. */
interface PendingCall {
  model: string;
  request: ChatRequest;
  options: CallOptions;
  resolve(result: ChatResult): void;
  reject(error: unknown): void;
}

function answer(model: string, content: string, meta: Partial<ChatResult['meta']> = {}) {
  const [provider, id] = model.split('/');
  return {
    response: {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 0,
      model: id,
      choices: [
        {
          index: 0,
          finish_reason: 'stop',
          logprobs: null,
          message: { role: 'assistant', content, refusal: null },
        },
      ],
    },
    meta: {
      requestId: 'r',
      provider,
      model: id,
      fake: false,
      attempts: [],
      latencyMs: 0,
      ...meta,
    },
  } as ChatResult;
}

/** A self-test over a stub chat pipeline whose calls the test ends by hand, with a hand-moved clock. */
function setup(providers: Record<string, Record<string, unknown>>) {
  const config = new GatewayConfigService(
    loadGatewayConfig({
      config: {
        providers,
        auth: { adminKey: 'admin-secret-key-1', hashSecret: 'hash-secret-for-tests-0123456789' },
      },
    }),
  );
  const calls: PendingCall[] = [];
  const gateway = {
    chat: jest.fn(
      (request: ChatRequest, options: CallOptions) =>
        new Promise<ChatResult>((resolve, reject) =>
          calls.push({ model: request.model, request, options, resolve, reject }),
        ),
    ),
  };
  const clock: Clock & { ms: number } = { ms: 1_000, now: () => clock.ms };
  const selfTest = new ProviderSelfTest(config, gateway as unknown as ChatPipeline, clock);
  /** Lets the self-test reach its next await. */
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { selfTest, calls, gateway, clock, settle };
}

const base = { kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:9' };

describe(ProviderSelfTest.name, () => {
  it('probes each model of each enabled provider through the gateway, without fallback or cache', async () => {
    const { selfTest, calls, clock, settle } = setup({
      alpha: { ...base, models: ['a1', 'a2'], apiKeys: [PROVIDER_KEY] },
      empty: { ...base },
      off: { ...base, models: ['x1'], enabled: false },
    });
    const run = selfTest.run();
    await settle();
    expect(calls.map((c) => c.model)).toEqual(['alpha/a1', 'alpha/a2']);
    expect(calls[0].options).toMatchObject({
      task: 'self-test',
      cache: { mode: 'skip' },
      allowFallback: false,
      timeouts: { totalMs: 15_000 },
    });
    expect(calls[0].options.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(calls[0].request.max_completion_tokens).toBe(32);
    expect(calls[0].request.messages[0].content).toContain(JSON.stringify(PROBE_ANSWER));

    calls[0].resolve(
      answer('alpha/a1', '{"ok": true}', {
        latencyMs: 42,
        usage: { prompt: 25, completion: 5 },
        costMicroUsd: 113,
      }),
    );
    clock.ms += 7;
    calls[1].reject(
      new GatewayError(GatewayErrorCode.AUTH, `Incorrect API key provided: ${PROVIDER_KEY}`, {
        provider: 'alpha',
      }),
    );
    const report = await run;

    expect(report.summary).toEqual({ ok: 1, error: 1, skipped: 1 });
    expect(report.data).toEqual([
      {
        provider: 'alpha',
        kind: 'openai-compatible',
        model: 'a1',
        status: 'ok',
        latencyMs: 42,
        usage: { prompt: 25, completion: 5 },
        costUsd: 0.000113,
        fake: false,
        validJson: true,
        requestId: calls[0].options.requestId,
      },
      {
        provider: 'alpha',
        kind: 'openai-compatible',
        model: 'a2',
        status: 'error',
        latencyMs: 7,
        usage: null,
        costUsd: null,
        fake: false,
        requestId: calls[1].options.requestId,
        error: { code: 'auth', message: 'Incorrect API key provided: [redacted]' },
      },
      {
        provider: 'empty',
        kind: 'openai-compatible',
        model: null,
        status: 'skipped',
        latencyMs: null,
        usage: null,
        costUsd: null,
        fake: false,
        reason: 'no models configured: list them in providers.empty.models to test them',
      },
    ]);
  });

  it('reports an unpriced model as costUsd null and a non-JSON reply as validJson false', async () => {
    const { selfTest, calls, settle } = setup({ alpha: { ...base, models: ['a1'] } });
    const run = selfTest.run();
    await settle();
    calls[0].resolve(answer('alpha/a1', 'ping', { fake: true }));
    expect((await run).data[0]).toMatchObject({
      status: 'ok',
      usage: null,
      costUsd: null,
      fake: true,
      validJson: false,
    });
  });

  it(`keeps at most ${SELF_TEST_CONCURRENCY} probes in flight and reports in config order`, async () => {
    const models = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'];
    const { selfTest, calls, settle } = setup({ alpha: { ...base, models } });
    const run = selfTest.run();
    await settle();
    expect(calls).toHaveLength(SELF_TEST_CONCURRENCY);
    // The second call ends first: its lane takes the next model.
    calls[1].resolve(answer('alpha/m2', '{"ok":true}'));
    await settle();
    expect(calls.map((c) => c.model)).toEqual(
      ['m1', 'm2', 'm3', 'm4', 'm5'].map((m) => `alpha/${m}`),
    );
    for (const call of calls.slice()) call.resolve(answer(call.model, '{"ok":true}'));
    await settle();
    calls[5].resolve(answer('alpha/m6', '{"ok":true}'));
    const report = await run;
    expect(report.data.map((r) => r.model)).toEqual(models);
    expect(report.summary).toEqual({ ok: 6, error: 0, skipped: 0 });
  });

  it('tests one provider when asked, a disabled one as skipped', async () => {
    const { selfTest, calls, settle } = setup({
      alpha: { ...base, models: ['a1'] },
      beta: { ...base, models: ['b1'] },
      off: { ...base, models: ['x1'], enabled: false },
    });
    const run = selfTest.run({ provider: 'beta', timeoutMs: '2500' });
    await settle();
    expect(calls.map((c) => c.model)).toEqual(['beta/b1']);
    expect(calls[0].options.timeouts).toEqual({ totalMs: 2_500 });
    calls[0].resolve(answer('beta/b1', '{"ok":true}'));
    expect((await run).data.map((r) => r.provider)).toEqual(['beta']);

    const off = await selfTest.run({ provider: 'off' });
    expect(off.data).toEqual([
      expect.objectContaining({
        model: null,
        status: 'skipped',
        reason: 'provider disabled in the config',
      }),
    ]);
  });

  it.each([
    [{ provider: 'nope' }, 'provider', "Unknown provider 'nope': use one of alpha"],
    [{ provider: '' }, 'provider', "Invalid 'provider': a provider name of 1 to 128 characters"],
    [{ timeoutMs: 'soon' }, 'timeoutMs', "Invalid 'timeoutMs': an integer from 100 to 60000"],
    [{ timeoutMs: '99' }, 'timeoutMs', "Invalid 'timeoutMs': an integer from 100 to 60000"],
    [{ timeoutMs: 60_001 }, 'timeoutMs', "Invalid 'timeoutMs': an integer from 100 to 60000"],
    [{ timeoutMs: ['100', '200'] }, 'timeoutMs', "Invalid 'timeoutMs': give it once"],
    [{ model: 'a1' }, 'model', "Unknown parameter 'model': use provider, timeoutMs"],
  ])('refuses the query %j as invalid_request on %s', async (query, param, message) => {
    const { selfTest, gateway } = setup({ alpha: { ...base, models: ['a1'] } });
    await expect(selfTest.run(query)).rejects.toMatchObject({
      code: GatewayErrorCode.INVALID_REQUEST,
      param,
      message,
    });
    expect(gateway.chat).not.toHaveBeenCalled();
  });

  it('rejects when cancelled instead of reporting the cancellation as a failed model', async () => {
    const { selfTest, calls, settle } = setup({ alpha: { ...base, models: ['a1'] } });
    const controller = new AbortController();
    const run = selfTest.run({}, controller.signal);
    await settle();
    expect(calls[0].options.signal).toBe(controller.signal);
    calls[0].reject(new GatewayError(GatewayErrorCode.CANCELLED, 'The caller went away'));
    await expect(run).rejects.toMatchObject({ code: GatewayErrorCode.CANCELLED });
  });

  it('masks key-shaped tokens, the admin key and long messages in errors', async () => {
    const { selfTest, calls, settle } = setup({ alpha: { ...base, models: ['a1'] } });
    const run = selfTest.run();
    await settle();
    calls[0].reject(
      new GatewayError(
        GatewayErrorCode.SERVER_ERROR,
        `boom admin-secret-key-1 sk-proj-ab****yz AIzaSyA1234567890 ${'x'.repeat(600)}`,
      ),
    );
    const message = (await run).data[0].error!.message;
    expect(message.startsWith('boom [redacted] [redacted] [redacted] xxx')).toBe(true);
    expect(message).toHaveLength(501);
  });
});
