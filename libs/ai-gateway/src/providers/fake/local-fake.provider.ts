import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import type { ProviderConfig } from '../../config/gateway-config.schema';
import { GatewayErrorCode } from '../../errors/gateway-error-code';
import { GatewayError } from '../../errors/gateway.error';
import type {
  ChatChunk,
  ChatRequest,
  ChatResponse,
  EmbeddingRequest,
  EmbeddingResponse,
} from '../../types/unified';
import { OpenAiCompatibleProvider } from '../openai-compatible/openai-compatible.provider';
import type { ProviderAdapter, ProviderCallContext } from '../provider-adapter.interface';

/** Every answer of the embedded fake starts with this, so nobody mistakes it for a model. */
export const LOCAL_FAKE_BANNER = '[local fake provider, not a real model] ';

/**
 * The embedded default when no provider is configured: it starts the fake-provider
 * server on a loopback port and reaches it through the same OpenAI-compatible path as a
 * real provider, so the gateway's whole request path runs with nothing installed.
 */
export class LocalFakeProvider implements ProviderAdapter {
  readonly name: string;
  private server?: FakeProviderServer;
  private delegate?: OpenAiCompatibleProvider;

  constructor(readonly config: ProviderConfig) {
    this.name = config.name;
  }

  async init(): Promise<void> {
    if (this.delegate) return;
    this.server = await startFakeProvider({ defaultScript: { prefix: LOCAL_FAKE_BANNER } });
    this.delegate = new OpenAiCompatibleProvider({
      ...this.config,
      baseUrl: `${this.server.url}/openai/v1`,
    });
  }

  chat(request: ChatRequest, ctx: ProviderCallContext): Promise<ChatResponse> {
    return this.ready().chat(request, ctx);
  }

  chatStream(request: ChatRequest, ctx: ProviderCallContext): Promise<AsyncIterable<ChatChunk>> {
    return this.ready().chatStream(request, ctx);
  }

  embed(request: EmbeddingRequest, ctx: ProviderCallContext): Promise<EmbeddingResponse> {
    return this.ready().embed(request, ctx);
  }

  async close(): Promise<void> {
    await this.delegate?.close();
    await this.server?.close();
    this.delegate = undefined;
    this.server = undefined;
  }

  private ready(): OpenAiCompatibleProvider {
    if (!this.delegate) {
      throw new GatewayError(GatewayErrorCode.INTERNAL, 'The local fake provider has not started', {
        provider: this.name,
      });
    }
    return this.delegate;
  }
}
