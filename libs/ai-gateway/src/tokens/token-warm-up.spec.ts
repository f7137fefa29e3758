import { loadGatewayConfig } from '../config/gateway-config.loader';
import { encodingsNeeded } from './token-warm-up';

const provider = (kind: string, models: string[] = []) => ({
  kind,
  baseUrl: 'http://127.0.0.1:9/v1',
  apiKeys: ['k'],
  models,
});

describe(encodingsNeeded.name, () => {
  it('builds nothing when nothing counts tokens (no budget, token limit, cost cap or keys)', () => {
    const config = loadGatewayConfig({
      config: { providers: { a: provider('openai', ['gpt-4o']) } },
      env: {},
    });
    expect(encodingsNeeded(config)).toEqual([]);
  });

  it('builds the encodings of the configured models once something counts', () => {
    const config = loadGatewayConfig({
      config: {
        providers: {
          a: provider('openai', ['gpt-4o', 'gpt-4']),
          c: provider('anthropic', ['claude-x']),
        },
        budgets: { users: { alice: { dailyUsd: 1 } } },
      },
      env: {},
    });
    expect(encodingsNeeded(config).sort()).toEqual(['cl100k_base', 'o200k_base']);
  });

  it('a token limit alone counts; an any-model OpenAI-compatible provider may need cl100k', () => {
    const config = loadGatewayConfig({
      config: {
        providers: { any: provider('openai-compatible') },
        rateLimits: { defaultUser: { tokensPerMinute: 1_000 } },
      },
      env: {},
    });
    expect(encodingsNeeded(config).sort()).toEqual(['cl100k_base', 'o200k_base']);
  });

  it('gateway keys count (their budgets and limits come at run time)', () => {
    const config = loadGatewayConfig({
      config: {
        providers: { c: provider('anthropic', ['claude-x']) },
        auth: {
          enabled: true,
          adminKey: 'admin-key-0123456789abcdef',
          hashSecret: 'secret-0123456789abcdef',
        },
      },
      env: {},
    });
    expect(encodingsNeeded(config)).toEqual(['o200k_base']);
  });
});
