import type { ChatRequest } from '../types/unified';
import { canonicalJson, exactKeyOf, semanticInputOf, tenantOf } from './cache-key';

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
});
