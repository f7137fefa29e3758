import { loadGatewayConfig } from '../config/gateway-config.loader';
import { TokenCounter } from '../tokens/token-counter.service';
import type { ChatRequest } from '../types/unified';
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
