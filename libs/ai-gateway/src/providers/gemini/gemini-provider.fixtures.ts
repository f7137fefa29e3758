import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { ProviderConfig } from '../../config/gateway-config.schema';
import type { GatewayError } from '../../errors/gateway.error';
import type { ChatChunk, ChatRequest } from '../../types/unified';
import type { ProviderCallContext } from '../provider-adapter.interface';
import { GeminiProvider } from './gemini.provider';

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

export async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

export async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as GatewayError,
  );
}

export const hello: ChatRequest = {
  model: 'gemini-fake',
  messages: [{ role: 'user', content: 'hello there' }],
};
