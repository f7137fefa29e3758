import type { INestApplicationContext } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import { AiGatewayModule, AiGatewayService, GatewayErrorCode } from '../src';
import type { ChatChunk } from '../src';

/** Hedging through the library: the slow first candidate loses to the hedge, and is cancelled. */
describe('hedged routes (in-process)', () => {
  let fake: FakeProviderServer;
  let app: INestApplicationContext;
  let gateway: AiGatewayService;

  beforeAll(async () => {
    fake = await startFakeProvider();
    const provider = (model: string) => ({
      kind: 'openai-compatible',
      baseUrl: `${fake.url}/v1`,
      models: [model],
      maxRetries: 0,
    });
    @Module({
      imports: [
        AiGatewayModule.forRoot({
          env: { AI_GATEWAY_STORE: 'memory' },
          config: {
            providers: { slow: provider('s-model'), quick: provider('q-model') },
            routes: {
              hedged: {
                targets: ['slow/s-model', 'quick/q-model'],
                hedge: { enabled: true, delayMs: 100 },
              },
              // A delay no stall of a loaded CI machine reaches: "answered before the delay"
              // then holds whatever the machine does.
              patient: {
                targets: ['slow/s-model', 'quick/q-model'],
                hedge: { enabled: true, delayMs: 10_000 },
              },
            },
          },
        }),
      ],
    })
    class HostModule {}
    app = await NestFactory.createApplicationContext(HostModule, { logger: false });
    gateway = app.get(AiGatewayService);
  });
  afterAll(async () => {
    await app.close();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  const ask = { model: 'hedged', messages: [{ role: 'user' as const, content: 'hi' }] };

  it('a slow first candidate is hedged: the second answers, both are in the trace', async () => {
    fake.enqueue({ latencyMs: 3_000, text: 'late' }, 1, { model: 's-model' });
    const started = performance.now();
    const { response, meta } = await gateway.chat(ask);
    expect(performance.now() - started).toBeLessThan(2_000); // far below the slow answer
    expect(response.choices[0].message.content).toBe('hi');
    expect(meta.provider).toBe('quick');
    expect(meta.attempts.map((a) => [a.provider, a.hedged ?? false])).toEqual([
      ['slow', false],
      ['quick', true],
    ]);
    expect(meta.attempts[1].outcome).toBe('ok');
  });

  it('the loser of the race is cancelled', async () => {
    fake.enqueue({ latencyMs: 3_000 }, 1, { model: 's-model' });
    const { meta } = await gateway.chat(ask);
    // Condition-based wait: the cancelled attempt settles as soon as its abort lands.
    for (let i = 0; i < 100 && meta.attempts[0].outcome === 'pending'; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(meta.attempts[0].outcome).toBe(GatewayErrorCode.CANCELLED);
  });

  it('a first candidate that answers before the hedge delay is not hedged', async () => {
    const { meta } = await gateway.chat({ ...ask, model: 'patient' });
    expect(meta.attempts).toHaveLength(1);
    expect(meta.provider).toBe('slow');
  });

  it('streams are hedged on the first token', async () => {
    fake.enqueue({ ttftMs: 3_000, text: 'late' }, 1, { model: 's-model' });
    const stream = await gateway.chatStream({ ...ask, stream: true });
    const chunks: ChatChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('hi');
    expect(stream.meta).toMatchObject({ provider: 'quick', completed: true });
  });
});
