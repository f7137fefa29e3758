import fc from 'fast-check';

/**
 * Generators of hostile request bodies for the adversarial suite: what an untrusted
 * tenant can send through each door. Each yields a finished request (path, headers, raw
 * body text) so the bodies are built before the run and the run measures the gateway,
 * not the generator.
 */
export interface HostileRequest {
  door: 'chat' | 'embeddings' | 'tasks' | 'raw';
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Users of the suite's budgets and limits: plain names and prototype names. */
export const USERS = [
  'alice',
  'bob',
  'toString',
  'constructor',
  '__proto__',
  'hasOwnProperty',
  'valueOf',
];

/** Caller-chosen names that have bitten maps and labels before. */
const NASTY_NAMES = [
  'toString',
  'constructor',
  '__proto__',
  'hasOwnProperty',
  'valueOf',
  'prototype',
  '',
  ' ',
  'a\u0000b',
  '\u0007',
  '😀',
  'Ā',
  '\u202e',
  'x'.repeat(300),
];

/** One character per Unicode class worth a long run: letters, marks, digits, CJK, emoji, RTL… */
const RUN_CHARS = [
  'a',
  'Z',
  '!',
  '.',
  '?!',
  '1',
  '9',
  ' ',
  '\n',
  '\t',
  'é',
  '\u0301',
  '中',
  'ا',
  '😀',
  '\u200d',
  '\u00a0',
  '\ud800',
  '/',
  '"',
  '\\',
];

/** Long runs of one character: the shape that made token counting quadratic. */
export const longRun = fc
  .tuple(fc.constantFrom(...RUN_CHARS), fc.integer({ min: 2_000, max: 120_000 }))
  .map(([c, n]) => c.repeat(Math.ceil(n / c.length)));

const shortText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(...NASTY_NAMES),
);

export const hostileText = fc.oneof(
  { weight: 6, arbitrary: shortText },
  { weight: 1, arbitrary: longRun },
);

/** Anything JSON can carry, a few levels deep, with hostile keys and strings. */
const anyJson = fc.jsonValue({ maxDepth: 4 });
const hostileValue = fc.oneof(
  anyJson,
  hostileText,
  fc.constantFrom(null, 5, -1, 1e308, true, [], {}, [null, 5], [{}], 'x'),
);

const models = fc.oneof(
  fc.constantFrom(
    'any/m',
    'openai/gpt-4o-mini',
    'anthropic/claude-x',
    'gemini/gemini-x',
    'ollama/llama',
    'mistral/mistral-small',
    'vllm/served',
    'unknown/x',
    'smart',
  ),
  shortText.map((s) => `any/${s}`),
  shortText,
);

const contentPart = fc.oneof(
  fc.record({ type: fc.constant('text'), text: hostileText }),
  fc.record({
    type: fc.constant('image_url'),
    image_url: fc.oneof(hostileValue, fc.record({ url: shortText })),
  }),
  hostileValue,
);

const message = fc.record(
  {
    role: fc.oneof(
      fc.constantFrom('system', 'developer', 'user', 'assistant', 'tool', 'function'),
      shortText,
    ),
    content: fc.oneof(hostileText, fc.array(contentPart, { maxLength: 4 }), hostileValue),
    tool_calls: fc.oneof(
      hostileValue,
      fc.array(
        fc.record(
          {
            id: shortText,
            type: fc.oneof(fc.constant('function'), shortText),
            function: fc.oneof(
              fc.record({ name: shortText, arguments: hostileValue }),
              hostileValue,
            ),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 3 },
      ),
    ),
    tool_call_id: shortText,
    name: hostileValue,
  },
  { requiredKeys: ['role'] },
);

const tool = fc.oneof(
  fc.record(
    {
      type: fc.oneof(fc.constantFrom('function', 'custom'), shortText),
      function: fc.oneof(
        fc.record({ name: shortText, parameters: hostileValue }, { requiredKeys: [] }),
        hostileValue,
      ),
      custom: hostileValue,
    },
    { requiredKeys: [] },
  ),
  hostileValue,
);

const chatBody = fc.record(
  {
    model: fc.oneof({ weight: 5, arbitrary: models }, { weight: 1, arbitrary: hostileValue }),
    messages: fc.oneof(
      { weight: 6, arbitrary: fc.array(message, { minLength: 1, maxLength: 5 }) },
      { weight: 1, arbitrary: hostileValue },
    ),
    stream: fc.oneof(fc.boolean(), hostileValue),
    stream_options: fc.oneof(fc.record({ include_usage: fc.boolean() }), hostileValue),
    temperature: fc.oneof(fc.constantFrom(0, 0.7, 2), hostileValue),
    max_tokens: fc.oneof(fc.integer({ min: 1, max: 4_000 }), hostileValue),
    seed: fc.oneof(fc.integer(), hostileValue),
    user: hostileValue,
    tools: fc.oneof(fc.array(tool, { maxLength: 3 }), hostileValue),
    functions: hostileValue,
    tool_choice: hostileValue,
    response_format: fc.oneof(
      fc.record({ type: fc.constantFrom('json_schema', 'json_object', 'text') }),
      fc.record({ type: fc.constant('json_schema'), json_schema: hostileValue }),
      hostileValue,
    ),
    stop: hostileValue,
    n: hostileValue,
    gateway: fc.oneof(
      fc.record(
        {
          timeouts: fc.record(
            { firstTokenMs: fc.oneof(fc.constant(1), hostileValue), totalMs: hostileValue },
            { requiredKeys: [] },
          ),
          fallback: hostileValue,
          chain: hostileValue,
        },
        { requiredKeys: [] },
      ),
      hostileValue,
    ),
    unknown_field: hostileValue,
  },
  { requiredKeys: ['model', 'messages'] },
);

/**
 * A request that passes validation with hostile content: it goes the whole way (token
 * counting, limits, budgets, cache, the provider) — where the expensive work is.
 */
const servedChatBody = fc.record(
  {
    model: fc.constantFrom(
      'any/m',
      'openai/gpt-4o-mini',
      'anthropic/claude-x',
      'gemini/gemini-x',
      'ollama/llama',
      'smart',
    ),
    messages: fc.array(
      fc.record({
        role: fc.constantFrom('system', 'user', 'assistant'),
        content: fc.oneof(
          hostileText,
          fc.array(fc.record({ type: fc.constant('text'), text: hostileText }), {
            minLength: 1,
            maxLength: 3,
          }),
        ),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    stream: fc.boolean(),
    temperature: fc.constantFrom(0, 0.7),
    max_tokens: fc.integer({ min: 1, max: 2_000 }),
    user: shortText,
    tools: fc.array(
      fc.record({
        type: fc.constant('function'),
        function: fc.record({
          name: fc.constantFrom('lookup', 'x'),
          parameters: fc.constant({ type: 'object' }),
        }),
      }),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: ['model', 'messages'] },
);

const hostileHeaders = fc.record(
  {
    'x-gateway-user': fc.constantFrom(
      ...NASTY_NAMES.filter((n) => !/[\u0000-\u001f\u007f-\uffff]/.test(n)),
      'alice',
      'bob',
    ),
    'x-gateway-attempt-timeout-ms': fc.constantFrom('1', '0', '-5', 'abc', '99999999999'),
    'x-gateway-first-token-timeout-ms': fc.constantFrom('1', '2', 'NaN'),
    'x-gateway-chain': fc.constantFrom(
      'any/a,any/b',
      'toString',
      ',,,',
      'openai/gpt-4o-mini,unknown/x',
    ),
    'x-gateway-fallback': fc.constantFrom('true', 'false', 'maybe'),
    'x-gateway-cache': fc.constantFrom('skip', 'refresh', 'bogus'),
    'cache-control': fc.constantFrom('no-cache', 'max-age=abc', 'no-store', 'max-age=0'),
    'x-request-id': fc.constantFrom('same-id', 'toString', 'a'.repeat(200)),
    'x-gateway-max-cost-usd': fc.constantFrom('0', '-1', 'abc', '0.000001', '1e400'),
  },
  { requiredKeys: [] },
);

/** `{"a":{"a":…}}` as text: JSON.stringify itself would overflow on the deepest ones. */
const deepText = fc
  .tuple(fc.integer({ min: 65, max: 20_000 }), fc.constantFrom('{"a":', '['))
  .map(([depth, open]) => {
    const close = open === '[' ? ']' : '}';
    return `{"model":"any/m","messages":[{"role":"user","content":"hi"}],"x":${open.repeat(depth)}1${close.repeat(depth)}}`;
  });

const rawBody = fc.oneof(
  deepText,
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom(
    '',
    '{',
    'null',
    '[]',
    '"x"',
    '{"__proto__":{"admin":true},"model":"any/m","messages":[{"role":"user","content":"x"}]}',
    '{"constructor":{"prototype":{"x":1}},"model":"any/m","messages":[]}',
    '{"model":"any/m","model":"openai/x","messages":[{"role":"user","content":"dup"}]}',
  ),
);

const taskBody = fc.record(
  {
    type: fc.oneof(
      fc.constantFrom('parse', 'score', 'optimize', 'test', 'toString', '__proto__'),
      hostileValue,
    ),
    input: fc.oneof(
      fc.record(
        {
          resumeText: hostileText,
          jobDescription: hostileText,
          file: fc.oneof(
            fc.record({
              filename: fc.constantFrom(
                'cv.pdf',
                'cv.docx',
                'cv.txt',
                'cv.exe',
                '../../etc/passwd',
                '',
              ),
              contentBase64: fc.oneof(
                fc.uint8Array({ maxLength: 2_000 }).map((b) => Buffer.from(b).toString('base64')),
                hostileValue,
              ),
            }),
            hostileValue,
          ),
          count: hostileValue,
          difficulty: hostileValue,
        },
        { requiredKeys: [] },
      ),
      hostileValue,
    ),
    async: fc.oneof(fc.constant(true), hostileValue),
    model: fc.oneof(models, hostileValue),
    webhook_url: fc.constantFrom(
      'http://127.0.0.1:6379/',
      'http://169.254.169.254/',
      'http://[::1]/',
      'ftp://x',
      'http://2130706433/',
    ),
  },
  { requiredKeys: ['type'] },
);

const embeddingsBody = fc.record(
  {
    model: fc.oneof(models, hostileValue),
    input: fc.oneof(hostileText, fc.array(hostileText, { maxLength: 4 }), hostileValue),
    encoding_format: hostileValue,
    dimensions: hostileValue,
  },
  { requiredKeys: [] },
);

const json = (value: unknown): string => JSON.stringify(value);

export const hostileRequest: fc.Arbitrary<HostileRequest> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.tuple(servedChatBody, fc.constantFrom(...USERS)).map(([body, user]) => ({
      door: 'chat' as const,
      path: '/v1/chat/completions',
      headers: { 'x-gateway-user': user },
      body: json(body),
    })),
  },
  {
    weight: 8,
    arbitrary: fc.tuple(chatBody, hostileHeaders).map(([body, headers]) => ({
      door: 'chat' as const,
      path: '/v1/chat/completions',
      headers,
      body: json(body),
    })),
  },
  {
    weight: 3,
    arbitrary: taskBody.map((body) => ({
      door: 'tasks' as const,
      path: '/v1/tasks',
      headers: {},
      body: json(body),
    })),
  },
  {
    weight: 2,
    arbitrary: embeddingsBody.map((body) => ({
      door: 'embeddings' as const,
      path: '/v1/embeddings',
      headers: {},
      body: json(body),
    })),
  },
  {
    weight: 2,
    arbitrary: rawBody.map((body) => ({
      door: 'raw' as const,
      path: '/v1/chat/completions',
      headers: {},
      body,
    })),
  },
);

/** `count` hostile requests, reproducible from `seed`. */
export function hostileRequests(count: number, seed: number): HostileRequest[] {
  return fc.sample(hostileRequest, { numRuns: count, seed });
}
