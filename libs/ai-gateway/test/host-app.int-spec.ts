import { Controller, Get, Injectable, Module } from '@nestjs/common';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import { AiGatewayModule, AiGatewayService, GatewayErrorCode } from '../src';
import { LOCAL_FAKE_BANNER } from '../src/testing';
import type { ChatChunk } from '../src';

/** A host backend's own service, using the gateway in-process (no HTTP hop). */
@Injectable()
class ResumeAdvisor {
  constructor(private readonly gateway: AiGatewayService) {}

  async advise(text: string): Promise<string> {
    const { response } = await this.gateway.chat({
      model: 'vllm/llama-3',
      messages: [{ role: 'user', content: text }],
    });
    return response.choices[0].message.content ?? '';
  }
}

@Controller()
class UnusedController {
  @Get()
  ping(): string {
    return 'pong';
  }
}

describe('AiGatewayModule in a host app', () => {
  let fake: FakeProviderServer;

  beforeAll(async () => {
    fake = await startFakeProvider();
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  async function boot(
    module: ReturnType<typeof AiGatewayModule.forRoot>,
  ): Promise<INestApplicationContext> {
    @Module({ imports: [module], providers: [ResumeAdvisor], controllers: [UnusedController] })
    class HostModule {}
    return NestFactory.createApplicationContext(HostModule, { logger: false });
  }

  it('forRoot: the host calls chat, chatStream, embed and listModels in-process', async () => {
    const app = await boot(
      AiGatewayModule.forRoot({
        config: {
          providers: {
            vllm: {
              kind: 'openai-compatible',
              baseUrl: `${fake.url}/v1`,
              models: ['llama-3', 'embed-1'],
            },
          },
        },
        env: { AI_GATEWAY_STORE: 'memory' },
      }),
    );
    try {
      expect(await app.get(ResumeAdvisor).advise('rewrite my summary')).toBe('rewrite my summary');
      const gateway = app.get(AiGatewayService);

      fake.enqueue({ text: 'a b c', usage: { prompt: 5, completion: 3 } });
      const stream = await gateway.chatStream({
        model: 'vllm/llama-3',
        messages: [{ role: 'user', content: 'x' }],
        stream: true,
      });
      const chunks: ChatChunk[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('a b c');
      expect(chunks.some((c) => c.usage)).toBe(false); // not asked for
      expect(stream.meta).toMatchObject({
        provider: 'vllm',
        model: 'llama-3',
        completed: true,
        usage: { prompt: 5, completion: 3 },
      });
      expect(stream.meta.ttftMs).toBeGreaterThan(0);

      const embedded = await gateway.embed({ model: 'vllm/embed-1', input: ['one', 'two'] });
      expect(embedded.response.data).toHaveLength(2);
      expect(embedded.meta.provider).toBe('vllm');

      expect(gateway.listModels().map((m) => m.id)).toEqual(['vllm/llama-3', 'vllm/embed-1']);
      // The upstream saw the provider's own model id and the stream usage request.
      expect(fake.requests.map((r) => r.model)).toEqual(['llama-3', 'llama-3', 'embed-1']);
    } finally {
      await app.close();
    }
  });

  it('forRootAsync: config from a factory; with no providers the local fake answers, marked', async () => {
    const app = await boot(
      AiGatewayModule.forRootAsync({ useFactory: () => ({ env: { AI_GATEWAY_STORE: 'memory' } }) }),
    );
    try {
      const gateway = app.get(AiGatewayService);
      const { response, meta } = await gateway.chat({
        model: 'local-fake/echo',
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(response.choices[0].message.content).toBe(`${LOCAL_FAKE_BANNER}hi`);
      expect(meta).toMatchObject({ provider: 'local-fake', fake: true });
      expect(gateway.listModels()[0]).toMatchObject({ id: 'local-fake/echo', fake: true });
    } finally {
      await app.close();
    }
  });

  it('rejects a bad request with a typed error naming the field, before any provider call', async () => {
    const app = await boot(
      AiGatewayModule.forRoot({
        config: { providers: { vllm: { kind: 'openai-compatible', baseUrl: fake.url } } },
        env: { AI_GATEWAY_STORE: 'memory' },
      }),
    );
    try {
      const gateway = app.get(AiGatewayService);
      await expect(gateway.chat({ model: 'vllm/x', messages: [] })).rejects.toMatchObject({
        code: GatewayErrorCode.INVALID_REQUEST,
        param: 'messages',
      });
      await expect(
        gateway.chat({ model: 'nope/x', messages: [{ role: 'user', content: 'a' }] }),
      ).rejects.toMatchObject({
        code: GatewayErrorCode.MODEL_NOT_FOUND,
      });
      expect(fake.requests).toHaveLength(0);
    } finally {
      await app.close();
    }
  });

  it('candidatesFor: where a name goes, in order, inside the caller scope; readiness without calls', async () => {
    const provider = (priority: number) => ({
      kind: 'openai-compatible',
      baseUrl: `${fake.url}/v1`,
      models: ['shared-1'],
      priority,
    });
    const app = await boot(
      AiGatewayModule.forRoot({
        config: {
          providers: {
            second: provider(2),
            first: provider(1),
            off: { ...provider(0), enabled: false },
          },
          routes: { smart: { targets: ['second/shared-1', 'off/shared-1', 'first/shared-1'] } },
        },
        env: { AI_GATEWAY_STORE: 'memory' },
      }),
    );
    try {
      const gateway = app.get(AiGatewayService);
      // A route keeps its order (minus disabled providers); a bare model goes by priority.
      expect(gateway.candidatesFor('smart')).toEqual(['second/shared-1', 'first/shared-1']);
      expect(gateway.candidatesFor('shared-1')).toEqual(['first/shared-1', 'second/shared-1']);
      expect(gateway.candidatesFor('second/shared-1', { allowedModels: ['second/*'] })).toEqual([
        'second/shared-1',
      ]);
      expect(() => gateway.candidatesFor('smart', { allowedModels: ['second/*'] })).toThrow(
        expect.objectContaining({ code: GatewayErrorCode.MODEL_NOT_ALLOWED, param: 'model' }),
      );
      expect(() => gateway.candidatesFor('nope')).toThrow(
        expect.objectContaining({ code: GatewayErrorCode.MODEL_NOT_FOUND }),
      );
      expect(gateway.providersReadiness()).toEqual({
        configured: ['second', 'first'],
        fake: [],
        missing: [],
      });
      expect(fake.requests).toHaveLength(0);
    } finally {
      await app.close();
    }
  });
});
