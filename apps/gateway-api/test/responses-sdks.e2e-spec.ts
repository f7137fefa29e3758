import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import { createOpenAI } from '@ai-sdk/openai';
import { ChatOpenAI } from '@langchain/openai';
import { generateObject, generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';
import { z } from 'zod';
import type { TestGateway } from './harness';
import { providersFor, startGateway } from './harness';

/**
 * Issue 15, Responses API through the clients people copy: the Vercel AI SDK's default
 * `openai(modelId)` (which calls `/v1/responses`) and LangChain's
 * `ChatOpenAI({ useResponsesApi: true })`, unchanged, served by the OpenAI and the
 * Anthropic kinds of the fake provider.
 */
describe('Responses API through the Vercel AI SDK and LangChain (e2e)', () => {
  let fake: FakeProviderServer;
  let gateway: TestGateway;

  const chatCalls = () => fake.requests.filter((r) => r.operation === 'chat');
  const paths: string[] = [];
  const bodies: string[] = [];

  beforeAll(async () => {
    fake = await startFakeProvider();
    const all = providersFor(fake);
    const entry = (name: 'openai' | 'anthropic') => ({
      ...all[name],
      models: ['r-model'],
      maxRetries: 0,
    });
    gateway = await startGateway({
      providers: { openai: entry('openai'), anthropic: entry('anthropic') },
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await fake?.close();
  });
  beforeEach(() => {
    fake.reset();
    paths.length = 0;
    bodies.length = 0;
  });

  /** The global fetch, noting each path: the point is that the clients call /v1/responses. */
  const recordingFetch: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    paths.push(new URL(url).pathname);
    bodies.push(typeof init?.body === 'string' ? init.body : '');
    return fetch(input, init);
  };
  const aiSdk = () =>
    createOpenAI({
      baseURL: `${gateway.url}/v1`,
      apiKey: 'gateway-test-key',
      fetch: recordingFetch,
    });

  describe.each(['openai', 'anthropic'])('served by the %s kind', (provider) => {
    const model = `${provider}/r-model`;

    it('Vercel AI SDK generateText with the default openai(modelId)', async () => {
      fake.enqueue({ text: `hello from ${provider}`, usage: { prompt: 7, completion: 3 } });
      const result = await generateText({
        model: aiSdk()(model),
        prompt: 'Say hello',
        maxRetries: 0,
      });
      expect(result.text).toBe(`hello from ${provider}`);
      expect(result.usage).toMatchObject({ inputTokens: 7, outputTokens: 3 });
      expect(result.response.headers?.['x-gateway-provider']).toBe(provider);
      expect(paths).toEqual(['/v1/responses']);
    });

    it('Vercel AI SDK streamText with a tool: call, execute, answer (two steps)', async () => {
      fake.enqueue({
        toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' }, id: 'call_p' }],
        finishReason: 'tool_calls',
      });
      fake.enqueue({ text: 'Sunny in Paris.' });
      const result = streamText({
        model: aiSdk()(model),
        prompt: 'Weather in Paris?',
        maxRetries: 0,
        stopWhen: stepCountIs(3),
        tools: {
          get_weather: tool({
            description: 'Current weather of a city',
            inputSchema: jsonSchema<{ city: string }>({
              type: 'object',
              properties: { city: { type: 'string' } },
              required: ['city'],
              additionalProperties: false,
            }),
            execute: ({ city }) => Promise.resolve({ city, celsius: 21 }),
          }),
        },
      });
      let text = '';
      for await (const piece of result.textStream) text += piece;
      expect(text).toBe('Sunny in Paris.');
      const steps = await result.steps;
      expect(steps[0].toolCalls[0]).toMatchObject({
        toolName: 'get_weather',
        input: { city: 'Paris' },
      });
      const second = JSON.stringify(chatCalls()[1].body);
      expect(second).toContain('call_p');
      expect(second).toContain('celsius');
      expect(paths).toEqual(['/v1/responses', '/v1/responses']);
    });

    it('Vercel AI SDK generateObject (json_schema output)', async () => {
      fake.enqueue({ text: '{"name":"Ada","born":1815}' });
      const { object } = await generateObject({
        model: aiSdk()(model),
        schema: z.object({ name: z.string(), born: z.number() }),
        prompt: 'Who wrote the first program?',
        maxRetries: 0,
      });
      expect(object).toEqual({ name: 'Ada', born: 1815 });
    });

    it('Vercel AI SDK: a later turn sends the earlier answer as an item_reference, resolved from the store', async () => {
      fake.enqueue({ text: 'Nice to meet you, Ada.' });
      const first = await generateText({
        model: aiSdk()(model),
        prompt: 'My name is Ada.',
        maxRetries: 0,
      });
      fake.enqueue({ text: 'You are Ada.' });
      const second = await generateText({
        model: aiSdk()(model),
        maxRetries: 0,
        messages: [
          { role: 'user', content: 'My name is Ada.' },
          ...first.response.messages,
          { role: 'user', content: 'Who am I?' },
        ],
      });
      expect(second.text).toBe('You are Ada.');
      expect(bodies[1]).toContain('"type":"item_reference"');
      expect(JSON.stringify(chatCalls()[1].body)).toContain('Nice to meet you, Ada.');
    });

    it('LangChain ChatOpenAI({ useResponsesApi: true }) invoke and stream', async () => {
      const chat = new ChatOpenAI({
        model,
        apiKey: 'gateway-test-key',
        configuration: { baseURL: `${gateway.url}/v1`, fetch: recordingFetch },
        useResponsesApi: true,
        maxRetries: 0,
      });
      fake.enqueue({ text: 'invoked through langchain' });
      const message = await chat.invoke('hi');
      expect(message.text).toBe('invoked through langchain');

      fake.enqueue({ text: 'streamed through langchain' });
      let text = '';
      for await (const chunk of await chat.stream('hi')) text += chunk.text;
      expect(text).toBe('streamed through langchain');
      expect(paths).toEqual(['/v1/responses', '/v1/responses']);
    });
  });
});
