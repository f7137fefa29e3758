import { loadGatewayConfig } from '../../config/gateway-config.loader';
import { TokenCounter } from '../../tokens/token-counter.service';
import type { ChatRequest } from '../../types/unified';
import { DEFAULT_MAX_TOKENS, RequestTokens } from './request-tokens';

describe(RequestTokens.name, () => {
  const { providers } = loadGatewayConfig({
    config: {
      providers: {
        oai: { kind: 'openai', apiKeys: ['k'], models: ['gpt-4o', 'gpt-4-0613'] },
        claude: {
          kind: 'anthropic',
          apiKeys: ['k'],
          modelInfo: { 'claude-x': { maxOutputTokens: 8_192 } },
        },
      },
    },
  });
  const request: ChatRequest = {
    model: 'fast',
    messages: [{ role: 'user', content: 'How many tokens is this sentence, exactly?' }],
  };

  it('counts the prompt once per encoding, whatever asks how often', () => {
    const counter = new TokenCounter();
    const count = jest.spyOn(counter, 'countPrompt');
    const tokens = new RequestTokens(request, counter, providers);
    const o200k = tokens.prompt({ provider: 'oai', model: 'gpt-4o' });
    expect(tokens.prompt({ provider: 'oai', model: 'gpt-4o' })).toBe(o200k);
    expect(tokens.prompt({ provider: 'claude', model: 'claude-x' })).toBe(o200k); // o200k too
    expect(count).toHaveBeenCalledTimes(1);
    tokens.prompt({ provider: 'oai', model: 'gpt-4-0613' }); // cl100k
    expect(count).toHaveBeenCalledTimes(2);
    expect(o200k).toBe(counter.countPrompt(request, 'openai', 'gpt-4o'));
  });

  it('counts in slices with the same figure, once per encoding even when asked concurrently', async () => {
    const counter = new TokenCounter();
    const count = jest.spyOn(counter, 'countPromptAsync');
    const tokens = new RequestTokens(request, counter, providers);
    const gpt = { provider: 'oai', model: 'gpt-4o' };
    const [first, second] = await Promise.all([tokens.promptAsync(gpt), tokens.promptAsync(gpt)]);
    expect(first).toBe(counter.countPrompt(request, 'openai', 'gpt-4o'));
    expect(second).toBe(first);
    expect(await tokens.promptAsync({ provider: 'claude', model: 'claude-x' })).toBe(first);
    expect(tokens.prompt(gpt)).toBe(first); // the synchronous form reuses the figure
    expect(count).toHaveBeenCalledTimes(1);
    await tokens.promptAsync({ provider: 'oai', model: 'gpt-4-0613' }); // cl100k
    expect(count).toHaveBeenCalledTimes(2);
  });

  it('lets other requests run while it counts a 1 MB prompt, in bounded time', async () => {
    const huge: ChatRequest = {
      model: 'fast',
      messages: [{ role: 'user', content: 'a'.repeat(1_000_000) }],
    };
    const tokens = new RequestTokens(huge, new TokenCounter(), providers);
    let ranMeanwhile = false;
    setImmediate(() => {
      ranMeanwhile = true;
    });
    const started = performance.now();
    const counted = await tokens.promptAsync({ provider: 'oai', model: 'gpt-4o' });
    // Generous for a loaded 2-core host: tens of ms here; the quadratic merge took 26 min.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(ranMeanwhile).toBe(true);
    expect(counted).toBeGreaterThan(100_000); // "aaaaaaaa" is one token: ~125,000
  }, 60_000);

  it('reads output limits from own properties only: a model named "constructor" has none', () => {
    const counter = new TokenCounter();
    const tokens = new RequestTokens(request, counter, providers);
    for (const model of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(tokens.maxOutput({ provider: 'claude', model })).toBe(DEFAULT_MAX_TOKENS);
      expect(tokens.maxOutput({ provider: model, model })).toBe(DEFAULT_MAX_TOKENS);
    }
  });

  it('takes the output worst case from the request, then the model, then the default', () => {
    const counter = new TokenCounter();
    const claude = { provider: 'claude', model: 'claude-x' };
    const gpt = { provider: 'oai', model: 'gpt-4o' };
    expect(new RequestTokens(request, counter, providers).maxOutput(claude)).toBe(8_192);
    expect(new RequestTokens(request, counter, providers).maxOutput(gpt)).toBe(DEFAULT_MAX_TOKENS);
    const capped = { ...request, max_tokens: 100, max_completion_tokens: 50 };
    expect(new RequestTokens(capped, counter, providers).maxOutput(claude)).toBe(50);
  });
});
