import { GatewayConfigService } from '../../config/gateway-config.service';
import { loadGatewayConfig } from '../../config/gateway-config.loader';
import { GatewayErrorCode } from '../../errors/gateway-error-code';
import type { GatewayMiddleware } from '../../guardrails/gateway-middleware';
import { GatewayMetrics } from '../../observability/gateway-metrics.service';
import type { ChatRequest } from '../../types/unified';
import { GuardrailMetrics } from './guardrail-metrics';
import { MiddlewareChain } from './middleware-chain';

const providers = {
  p: { kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', models: ['m'] },
};

function chainOf(guardrails: Record<string, unknown>, host: GatewayMiddleware[] = []) {
  const config = new GatewayConfigService(
    loadGatewayConfig({
      config: { providers, routes: { support: ['p/m'] }, guardrails },
      env: {},
    }),
  );
  const chain = new MiddlewareChain(config, new GuardrailMetrics(new GatewayMetrics()), host);
  return { chain, config };
}

const body = (model: string): ChatRequest => ({
  model,
  messages: [{ role: 'user', content: 'x' }],
});
const names = (run: ReturnType<MiddlewareChain['open']>) =>
  run?.entries.map((e) => e.middleware.name);

describe('MiddlewareChain', () => {
  const host: GatewayMiddleware = { name: 'audit', beforeRequest: () => undefined };

  it("a request runs its key's list, else its route's, else the global one", () => {
    const { chain } = chainOf(
      {
        middleware: ['pii_scrubber', 'audit'],
        routes: { support: ['prompt_injection_detector'] },
        keys: { k1: ['request_logger', 'pii_scrubber'] },
      },
      [host],
    );
    chain.onModuleInit();
    expect(names(chain.open(body('p/m'), {}, 'chat'))).toEqual(['pii_scrubber', 'audit']);
    expect(names(chain.open(body('support'), {}, 'chat', 'support'))).toEqual([
      'prompt_injection_detector',
    ]);
    const caller = { caller: { keyId: 'k1' } };
    expect(names(chain.open(body('support'), caller, 'chat', 'support'))).toEqual([
      'request_logger',
      'pii_scrubber',
    ]);
  });

  it('with nothing configured: no run at all, or the host middleware in registration order', () => {
    expect(chainOf({}).chain.open(body('p/m'), {}, 'chat')).toBeUndefined();
    const second: GatewayMiddleware = { name: 'second' };
    expect(names(chainOf({}, [host, second]).chain.open(body('p/m'), {}, 'chat'))).toEqual([
      'audit',
      'second',
    ]);
    // An empty list for a route switches them off there.
    const { chain } = chainOf({ routes: { support: [] } }, [host]);
    expect(chain.open(body('support'), {}, 'chat', 'support')).toBeUndefined();
  });

  it('refuses to start on an unknown name, and a reloaded one is refused per request (503)', () => {
    const { chain, config } = chainOf({ middleware: ['nope'] });
    expect(() => chain.onModuleInit()).toThrow(/unknown middleware "nope"/);
    expect(() => chain.open(body('p/m'), {}, 'chat')).toThrow(
      expect.objectContaining({ code: GatewayErrorCode.GUARDRAIL_UNAVAILABLE }),
    );
    expect(config.current.guardrails.middleware).toEqual(['nope']);
  });

  it('a host middleware may not take a built-in name or another one', () => {
    expect(() => chainOf({}, [{ name: 'pii_scrubber' }])).toThrow(/registered twice/);
    expect(() => chainOf({}, [host, host])).toThrow(/registered twice/);
  });

  it('fail mode and time budget: the middleware own, else open and guardrails.timeoutMs', () => {
    const { chain } = chainOf({ middleware: ['pii_scrubber', 'audit'], timeoutMs: 250 }, [host]);
    const run = chain.open(body('p/m'), {}, 'chat');
    expect(run?.entries.map((e) => [e.failMode, e.timeoutMs])).toEqual([
      ['closed', 250],
      ['open', 250],
    ]);
  });
});

describe('the guardrails config section', () => {
  const load = (guardrails: unknown) =>
    loadGatewayConfig({ config: { providers, routes: { support: ['p/m'] }, guardrails }, env: {} });

  it('lists every problem: bad names, duplicates, unknown routes, bad actions, unknown keys', () => {
    let message = '';
    try {
      load({
        middleware: ['Bad Name', 'pii_scrubber', 'pii_scrubber'],
        routes: { nowhere: ['pii_scrubber'], support: 'pii_scrubber' },
        keys: { k: [42] },
        pii: { actions: { email: 'shred' }, extra: true },
        injection: { threshold: 2 },
      });
    } catch (error) {
      message = (error as Error).message;
    }
    for (const problem of [
      'guardrails.middleware: each value in middleware must match',
      'guardrails.middleware: "pii_scrubber" is listed twice',
      'guardrails.routes.support: must be a list of middleware names',
      'guardrails.keys.k[0]: not a middleware name',
      'guardrails.pii.actions.email: email must be one of the following values',
      'guardrails.pii.extra: unknown key',
      'guardrails.injection.threshold: threshold must not be greater than 1',
      'guardrails.routes.nowhere: no route of that name',
    ]) {
      expect(message).toContain(problem);
    }
  });

  it('defaults: placeholders for personal data, secrets masked, PII closed, injection open', () => {
    const { guardrails } = load(undefined);
    expect(guardrails.middleware).toEqual([]);
    expect(guardrails.pii.actions).toMatchObject({ email: 'placeholder', secret: 'mask' });
    expect(guardrails.pii.failMode).toBe('closed');
    expect(guardrails.injection).toMatchObject({ action: 'flag', failMode: 'open' });
    expect(Object.getPrototypeOf(guardrails.routes)).toBeNull();
  });
});
