import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { ProviderConfig } from '../../config/gateway-config.schema';
import type { ChatRequest } from '../../types/unified';
import type { ProviderCallContext } from '../provider-adapter.interface';
import { GeminiProvider } from './gemini.provider';
export {
  collectChunks as collect,
  rejectionOf as failure,
} from '../../../test/adapter-spec.helpers';

// Helpers shared by the GeminiProvider specs; not a spec itself, never imported by lib code.

export function context(overrides: Partial<ProviderCallContext> = {}): ProviderCallContext {
  return {
    requestId: 'req-1',
    signal: new AbortController().signal,
    timeoutMs: 5_000,
    apiKey: 'g-key-1',
    ...overrides,
  };
}

export function providerFor(fake: FakeProviderServer): GeminiProvider {
  return new GeminiProvider(
    Object.assign(new ProviderConfig(), {
      name: 'gemini-test',
      kind: 'gemini',
      baseUrl: `${fake.url}/gemini/v1beta`,
      apiKeys: ['g-key-1', 'g-key-2'],
      headers: { 'x-team': 'search' },
    }),
  );
}

export const hello: ChatRequest = {
  model: 'gemini-fake',
  messages: [{ role: 'user', content: 'hello there' }],
};
