import { createHash } from 'node:crypto';
import type { ChatRequest } from '../types/unified';
import { exactKeyOf, semanticInputOf, tenantOf } from './cache-key';
import { MAX_KEY_DEPTH, MAX_KEY_NODES, canonicalJson, canonicalSha256 } from './canonical-json';

/** `{ x: { x: … } }`, `depth` objects deep, built without recursion. */
function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 0; i < depth; i++) value = { x: value };
  return value;
}

const base: ChatRequest = {
  model: 'gpt',
  temperature: 0,
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'What is 2+2?' },
  ],
};

describe('cache keys', () => {
  it('canonical JSON ignores key order and undefined fields', () => {
    expect(canonicalJson({ b: 1, a: [{ y: 2, x: undefined, z: null }] })).toBe(
      '{"a":[{"y":2,"z":null}],"b":1}',
    );
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it('the streamed hash is the hash of the canonical JSON: keys stored before stay valid', () => {
    const long = '😀 é "quoted" \u0001 '.repeat(20_000);
    const value = { b: [1, { y: long, x: null }], a: 'z'.repeat(70_000), c: new Date(0) };
    const json = canonicalJson(value)!;
    const expected = createHash('sha256').update(`p\u0000${json}`).digest('hex');
    expect(canonicalSha256('p\u0000', value)).toBe(expected);
    expect(exactKeyOf(base, 'full_request', 't')).toBe(
      createHash('sha256')
        .update(
          `exact\u0000full_request\u0000t\u0000${canonicalJson({ model: 'gpt', temperature: 0, messages: base.messages })}`,
        )
        .digest('hex'),
    );
  });

  it('full_request: every field that changes the answer, none of the delivery ones', () => {
    const key = exactKeyOf(base, 'full_request', 't');
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    // Streamed or not, and who asked, do not matter.
    expect(
      exactKeyOf(
        { ...base, stream: true, stream_options: { include_usage: true }, user: 'u' },
        'full_request',
        't',
      ),
    ).toBe(key);
    expect(exactKeyOf({ ...base, max_tokens: 5 }, 'full_request', 't')).not.toBe(key);
    expect(exactKeyOf({ ...base, model: 'other' }, 'full_request', 't')).not.toBe(key);
    expect(exactKeyOf({ ...base, temperature: 0.1 }, 'full_request', 't')).not.toBe(key);
  });

  it('content+model ignores sampling parameters; content ignores the model too', () => {
    const cm = exactKeyOf(base, 'content+model', 't');
    expect(exactKeyOf({ ...base, max_tokens: 5, top_p: 0.5 }, 'content+model', 't')).toBe(cm);
    expect(exactKeyOf({ ...base, model: 'other' }, 'content+model', 't')).not.toBe(cm);
    const c = exactKeyOf(base, 'content', 't');
    expect(exactKeyOf({ ...base, model: 'other' }, 'content', 't')).toBe(c);
    // What the model is asked to produce always counts.
    expect(
      exactKeyOf({ ...base, response_format: { type: 'json_object' } }, 'content', 't'),
    ).not.toBe(c);
    expect(c).not.toBe(cm);
  });

  it('every strategy is scoped by tenant', () => {
    for (const strategy of ['content', 'content+model', 'full_request'] as const) {
      expect(exactKeyOf(base, strategy, 'key:a')).not.toBe(exactKeyOf(base, strategy, 'key:b'));
    }
  });

  it('tenant: shared pool, team, key, user, anonymous', () => {
    expect(tenantOf({ keyId: 'k', teamId: 't' }, 'key', true)).toBe('shared');
    expect(tenantOf({ keyId: 'k', teamId: 't' }, 'team', false)).toBe('team:t');
    expect(tenantOf({ keyId: 'k', teamId: 't' }, 'key', false)).toBe('key:k');
    expect(tenantOf({ keyId: 'k' }, 'team', false)).toBe('key:k');
    expect(tenantOf({ userId: 'u' }, 'key', false)).toBe('user:u');
    expect(tenantOf(undefined, 'key', false)).toBe('anonymous');
  });

  it('semantic input: the last user message, scoped by everything else', () => {
    const input = semanticInputOf(base, 'last_user_message', 't', 'local-v1')!;
    expect(input.text).toBe('What is 2+2?');
    const reworded: ChatRequest = {
      ...base,
      messages: [base.messages[0], { role: 'user', content: 'what is two plus two' }],
    };
    // Only the embedded text differs: same scope.
    expect(semanticInputOf(reworded, 'last_user_message', 't', 'local-v1')!.scope).toBe(
      input.scope,
    );
    const scopeOf = (body: ChatRequest, tenant = 't', embedder = 'local-v1') =>
      semanticInputOf(body, 'last_user_message', tenant, embedder)!.scope;
    expect(scopeOf(base, 'u')).not.toBe(input.scope);
    expect(scopeOf(base, 't', 'model:x')).not.toBe(input.scope);
    expect(scopeOf({ ...base, model: 'other' })).not.toBe(input.scope);
    expect(scopeOf({ ...base, temperature: 0.2 })).not.toBe(input.scope);
    expect(
      scopeOf({
        ...base,
        messages: [{ role: 'system', content: 'Be verbose.' }, base.messages[1]],
      }),
    ).not.toBe(input.scope);
    expect(
      scopeOf({
        ...base,
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: 'hello' },
          base.messages[1],
        ],
      }),
    ).not.toBe(input.scope);
    expect(scopeOf({ ...base, stream: true })).toBe(input.scope);
  });

  it('semantic input: none for images or a non-user last turn; text parts are joined', () => {
    const image: ChatRequest = {
      ...base,
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:' } }] }],
    };
    expect(semanticInputOf(image, 'last_user_message', 't', 'e')).toBeUndefined();
    const tool: ChatRequest = {
      ...base,
      messages: [...base.messages, { role: 'assistant', content: 'x' }],
    };
    expect(semanticInputOf(tool, 'last_user_message', 't', 'e')).toBeUndefined();
    const parts: ChatRequest = {
      ...base,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'a' },
            { type: 'text', text: 'b' },
          ],
        },
      ],
    };
    expect(semanticInputOf(parts, 'last_user_message', 't', 'e')!.text).toBe('a\nb');
    const two: ChatRequest = {
      ...base,
      messages: [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: 'second' },
      ],
    };
    expect(semanticInputOf(two, 'all_user_messages', 't', 'e')!.text).toBe('first\nsecond');
  });

  it('a chain override (x-gateway-chain) is part of the key: other models never share an entry', () => {
    for (const strategy of ['full_request', 'content+model'] as const) {
      const plain = exactKeyOf(base, strategy, 't');
      const toM2 = exactKeyOf(base, strategy, 't', { chain: ['up2/m2'] });
      expect(toM2).not.toBe(plain);
      expect(exactKeyOf(base, strategy, 't', { chain: ['up1/m1'] })).not.toBe(toM2);
      // Order matters: the first model that answers is the chain's first.
      expect(exactKeyOf(base, strategy, 't', { chain: ['a', 'b'] })).not.toBe(
        exactKeyOf(base, strategy, 't', { chain: ['b', 'a'] }),
      );
      // No override (or an empty one): the key of an ordinary request is unchanged.
      expect(exactKeyOf(base, strategy, 't', { chain: [], fallback: false })).toBe(plain);
      // A fallback lets another provider of the model answer: its entries stand apart too.
      expect(exactKeyOf(base, strategy, 't', { fallback: true })).not.toBe(plain);
    }
    // `content` ignores the model by choice, the chain with it.
    expect(exactKeyOf(base, 'content', 't', { chain: ['up2/m2'] })).toBe(
      exactKeyOf(base, 'content', 't'),
    );
    const scope = (chain?: string[]) =>
      semanticInputOf(base, 'last_user_message', 't', 'e', { chain })!.scope;
    expect(scope(['up2/m2'])).not.toBe(scope());
    expect(scope(['up2/m2'])).not.toBe(scope(['up1/m1']));
  });

  it('a body too deep, cyclic or not JSON is uncacheable: undefined, never a RangeError', () => {
    const deep = { ...base, extra: nested(10_000) } as ChatRequest;
    expect(() => canonicalJson(nested(10_000))).not.toThrow();
    expect(canonicalJson(nested(10_000))).toBeUndefined();
    for (const strategy of ['full_request', 'content+model', 'content'] as const) {
      const tooDeep = { ...base, response_format: nested(10_000) } as unknown as ChatRequest;
      expect(exactKeyOf(tooDeep, strategy, 't')).toBeUndefined();
    }
    expect(exactKeyOf(deep, 'full_request', 't')).toBeUndefined();
    expect(semanticInputOf(deep, 'last_user_message', 't', 'e')).toBeUndefined();
    // Up to the bound, keys are computed as before.
    expect(canonicalJson(nested(MAX_KEY_DEPTH))).toMatch(/^\{"x":/);
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(canonicalJson(cyclic)).toBeUndefined();
    expect(canonicalJson({ n: 1n })).toBeUndefined();
    // Shared references cannot expand exponentially: 2^60 paths, bounded work.
    let wide: unknown = 'leaf';
    for (let i = 0; i < 60; i++) wide = [wide, wide];
    expect(canonicalJson(wide)).toBeUndefined();
    // Too wide to sort and hash on the event loop: uncacheable too.
    const wideObject = Object.fromEntries(
      Array.from({ length: MAX_KEY_NODES + 1 }, (_, i) => [`k${i}`, i]),
    );
    expect(exactKeyOf({ ...base, extra: wideObject }, 'full_request', 't')).toBeUndefined();
    // As JSON.stringify would send it: a Date is its ISO string, not an empty object.
    expect(canonicalJson({ at: new Date(0) })).toBe('{"at":"1970-01-01T00:00:00.000Z"}');
  });
});
