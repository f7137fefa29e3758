import { Test } from '@nestjs/testing';
import type {
  ChatCompletionMessageParam,
  ChatCompletionTool,
  ChatRequest,
  EmbeddingRequest,
} from '../types/unified';
import { TokenCounter } from './token-counter.service';

/** The openai-cookbook "How to count tokens with tiktoken" examples, checked there against the API. */
const COOKBOOK_MESSAGES: ChatCompletionMessageParam[] = [
  {
    role: 'system',
    content:
      'You are a helpful, pattern-following assistant that translates corporate jargon into plain English.',
  },
  {
    role: 'system',
    name: 'example_user',
    content: 'New synergies will help drive top-line growth.',
  },
  {
    role: 'system',
    name: 'example_assistant',
    content: 'Things working well together will increase revenue.',
  },
  {
    role: 'system',
    name: 'example_user',
    content:
      "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage.",
  },
  {
    role: 'system',
    name: 'example_assistant',
    content: "Let's talk later when we're less busy about how to do better.",
  },
  {
    role: 'user',
    content:
      "This late pivot means we don't have time to boil the ocean for the client deliverable.",
  },
];

const COOKBOOK_TOOLS: ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_current_weather',
      description: 'Get the current weather in a given location',
      parameters: {
        type: 'object',
        properties: {
          location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' },
          unit: {
            type: 'string',
            description: 'The unit of temperature to return',
            enum: ['celsius', 'fahrenheit'],
          },
        },
        required: ['location'],
      },
    },
  },
];

const COOKBOOK_TOOL_MESSAGES: ChatCompletionMessageParam[] = [
  {
    role: 'system',
    content: 'You are a helpful assistant that can answer to questions about the weather.',
  },
  { role: 'user', content: "What's the weather like in San Francisco?" },
];

function chat(messages: ChatCompletionMessageParam[], extra: Partial<ChatRequest> = {}) {
  return { model: 'm', messages, ...extra } as ChatRequest;
}

const user = (content: ChatCompletionMessageParam['content']): ChatCompletionMessageParam =>
  ({ role: 'user', content }) as ChatCompletionMessageParam;

describe(TokenCounter.name, () => {
  const counter = new TokenCounter();

  it.each([
    ['gpt-3.5-turbo', 129],
    ['gpt-4-0613', 129],
    ['gpt-4o', 124],
    ['gpt-4o-mini', 124],
  ])("reproduces the cookbook's count of its example messages on %s: %i", (model, tokens) => {
    expect(counter.countPrompt(chat(COOKBOOK_MESSAGES), 'openai', model)).toBe(tokens);
  });

  it.each([
    ['gpt-3.5-turbo', 105],
    ['gpt-4', 105],
    ['gpt-4o', 101],
    ['gpt-4o-mini', 101],
  ])("reproduces the cookbook's count with a tool definition on %s: %i", (model, tokens) => {
    const request = chat(COOKBOOK_TOOL_MESSAGES, { tools: COOKBOOK_TOOLS });
    expect(counter.countPrompt(request, 'openai', model)).toBe(tokens);
  });

  it('adds 3 per message, the role, the content and 3 to prime the reply', () => {
    // 3 (reply) + 3 (message) + 1 ("user") + 2 ("hello world")
    expect(counter.countPrompt(chat([user('hello world')]), 'openai', 'gpt-4o')).toBe(9);
  });

  it('adds 1 plus the name for a named message', () => {
    const named = { role: 'user', name: 'alice', content: 'hello world' } as const;
    // 9 + 1 + 1 ("alice")
    expect(counter.countPrompt(chat([named]), 'openai', 'gpt-4o')).toBe(11);
  });

  it('counts text parts and images at a flat 85 (low detail) or 765 tokens', () => {
    const parts = user([
      { type: 'text', text: 'hello world' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } },
      { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
    ]);
    expect(counter.countPrompt(chat([parts]), 'openai', 'gpt-4o')).toBe(9 + 85 + 765);
  });

  it("counts an assistant's tool calls: 3 + name + arguments each", () => {
    const assistant: ChatCompletionMessageParam = {
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } },
      ],
    };
    const tool: ChatCompletionMessageParam = {
      role: 'tool',
      tool_call_id: 'call_1',
      content: 'hello world',
    };
    const fnName = counter.countText('lookup');
    const args = counter.countText('{"q":"x"}');
    // assistant: 3 + 1 ("assistant") + (3 + name + args); tool: 3 + 1 ("tool") + 2; reply: 3
    expect(counter.countPrompt(chat([assistant, tool]), 'openai', 'gpt-4o')).toBe(
      3 + 1 + 3 + fnName + args + (3 + 1 + 2) + 3,
    );
  });

  it('counts a JSON-schema response format as its name and schema text', () => {
    const schema = { type: 'object', properties: { score: { type: 'number' } } };
    const request = chat([user('hello world')], {
      response_format: { type: 'json_schema', json_schema: { name: 'score', schema } },
    });
    expect(counter.countPrompt(request, 'openai', 'gpt-4o')).toBe(
      9 + counter.countText('score') + counter.countText(JSON.stringify(schema)),
    );
  });

  it('counts other providers with o200k_base and the same formula', () => {
    const request = chat(COOKBOOK_MESSAGES);
    expect(counter.countPrompt(request, 'anthropic', 'claude-sonnet-4-20250514')).toBe(124);
    expect(counter.countPrompt(request, 'gemini', 'gemini-2.5-flash')).toBe(124);
  });

  it('counts plain text with o200k_base unless told otherwise', () => {
    expect(counter.countText("I'm sure you'll love it")).toBe(5);
    expect(counter.countText("I'm sure you'll love it", 'cl100k_base')).toBe(7);
  });

  it('counts embedding inputs: texts encoded, token arrays as given', () => {
    const embed = (input: string | string[] | number[] | number[][]) =>
      counter.countEmbeddingInput({ model: 'e', input }, 'openai', 'text-embedding-3-small');
    expect(embed('hello world')).toBe(2);
    expect(embed(['hello world', 'Hello, world!'])).toBe(6);
    expect(embed([15339, 1917])).toBe(2);
    expect(embed([[15339, 1917], [15339]])).toBe(3);
  });

  it('estimates text as ceil(characters / 4) and prompts with the same formula', () => {
    expect(counter.estimateText('hello world')).toBe(3);
    expect(counter.estimateText('')).toBe(0);
    // 3 (reply) + 3 (message) + ceil(4 / 4) ("user") + ceil(11 / 4)
    expect(counter.estimatePrompt(chat([user('hello world')]))).toBe(10);
  });

  it('counts the same in slices: prompts, tools and embeddings', async () => {
    const request = { ...chat(COOKBOOK_MESSAGES), tools: COOKBOOK_TOOLS };
    for (const model of ['gpt-4o', 'gpt-4-0613']) {
      expect(await counter.countPromptAsync(request, 'openai', model)).toBe(
        counter.countPrompt(request, 'openai', model),
      );
    }
    for (const input of [
      'hello world',
      ['hello world', 'Hello, world!'],
      [[15339, 1917], [15339]],
    ]) {
      const embedding = { model: 'e', input } as EmbeddingRequest;
      expect(await counter.countEmbeddingInputAsync(embedding, 'openai', 'gpt-4o')).toBe(
        counter.countEmbeddingInput(embedding, 'openai', 'gpt-4o'),
      );
    }
  });

  it('never throws on a body the formula does not expect: it counts what it can read', async () => {
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 20_000; i++) deep = { type: 'object', properties: { x: deep } };
    let deepList: unknown = ['string'];
    for (let i = 0; i < 20_000; i++) deepList = [deepList];
    const shapes: unknown[] = [
      { response_format: { type: 'json_schema' } },
      { messages: [{ role: 'assistant', tool_calls: 'x' }] },
      { messages: [{ role: 'assistant', tool_calls: 5 }] },
      { messages: [{ role: 'assistant', tool_calls: [{}, null, 5, { type: 'custom' }] }] },
      { messages: [{ role: 'assistant', function_call: 5, refusal: 7 }] },
      { messages: [null, 5, 'x', { role: 5, content: [null, 5, { type: 'image_url' }] }] },
      { messages: 'not a list' },
      { tools: [{ type: 'custom' }, { type: 'function' }, null, 5] },
      { tools: 5, functions: 5 },
      { functions: [null, { name: 5, parameters: { properties: 5 } }] },
      { tools: [{ type: 'function', function: { name: 'f', parameters: deep } }] },
      { functions: [{ name: 'f', parameters: { properties: { x: { type: deepList } } } }] },
      { functions: [{ name: 'f', parameters: { properties: { x: { enum: [deep, 1n] } } } }] },
      { response_format: { type: 'json_schema', json_schema: { name: 'n', schema: deep } } },
    ];
    for (const shape of shapes) {
      const request = { model: 'gpt-4o', messages: [], ...(shape as object) } as ChatRequest;
      expect(Number.isInteger(counter.countPrompt(request, 'openai', 'gpt-4o'))).toBe(true);
      expect(await counter.countPromptAsync(request, 'openai', 'gpt-4o')).toBe(
        counter.countPrompt(request, 'openai', 'gpt-4o'),
      );
      expect(Number.isInteger(counter.estimatePrompt(request))).toBe(true);
    }
    // The 20,000-level schema is counted as its JSON text, not skipped.
    const deepFormat = { model: 'm', messages: [], ...(shapes[13] as object) } as ChatRequest;
    expect(counter.countPrompt(deepFormat, 'openai', 'gpt-4o')).toBeGreaterThan(20_000);
    for (const input of [5, null, { a: 1 }, [null, {}, 'hello world']] as unknown[]) {
      const embedding = { model: 'e', input } as EmbeddingRequest;
      expect(counter.countEmbeddingInput(embedding, 'openai', 'gpt-4o')).toBeGreaterThanOrEqual(0);
    }
  });

  it('is injectable and warms its encodings up on request', async () => {
    const moduleRef = await Test.createTestingModule({ providers: [TokenCounter] }).compile();
    const injected = moduleRef.get(TokenCounter);
    injected.warmUp();
    expect(injected.countText('hello world', 'cl100k_base')).toBe(2);
    await moduleRef.close();
  });
});
