import { CpuSlicer } from '../tokens/cpu-slicer';
import { exactKeyOf, exactKeyOfAsync } from './cache-key';
import {
  LONG_STRING_CHARS,
  MAX_KEY_DEPTH,
  canonicalSha256,
  canonicalSha256Async,
} from './canonical-json';

const N = LONG_STRING_CHARS;
const PAIR = '\u{1F600}'; // a surrogate pair

/** Long strings whose chunk boundaries fall on every awkward place. */
const LONG_STRINGS = [
  'a'.repeat(3 * N + 7),
  `${'a'.repeat(N - 1)}${PAIR}${'b'.repeat(N)}`, // a pair across the first boundary
  `${'a'.repeat(N - 1)}\ud800${'b'.repeat(N)}`, // a lone high surrogate at the boundary
  `${'a'.repeat(N)}\udc00${'b'.repeat(N)}`, // a lone low surrogate right after it
  PAIR.repeat(N),
  '"\\\u0000\n\u2028'.repeat(N / 2),
  Array.from({ length: 2 * N }, (_, i) => String.fromCharCode((i * 7919) % 0x10000)).join(''),
];

describe('canonicalSha256Async', () => {
  it('hashes exactly as canonicalSha256 whatever the long strings hold', async () => {
    for (const text of LONG_STRINGS) {
      const value = { b: [text, 'short', { z: text, a: 1 }], a: text };
      const expected = canonicalSha256('p\u0000', value);
      expect(expected).toBeDefined();
      expect(await canonicalSha256Async('p\u0000', value)).toBe(expected);
    }
    expect(await canonicalSha256Async('p', 'x')).toBe(canonicalSha256('p', 'x'));
  });

  it('yields between chunks of a long string', async () => {
    let yields = 0;
    const slicer = new CpuSlicer({
      sliceMs: 0,
      yieldNow: () => {
        yields++;
        return Promise.resolve();
      },
    });
    const text = 'x'.repeat(10 * N);
    expect(await canonicalSha256Async('p', { messages: [text] }, slicer)).toBe(
      canonicalSha256('p', { messages: [text] }),
    );
    expect(yields).toBeGreaterThanOrEqual(10);
  });

  it('gives up as canonicalSha256 does on a body too deep', async () => {
    let deep: unknown = 'x'.repeat(2 * N);
    for (let i = 0; i <= MAX_KEY_DEPTH; i++) deep = [deep];
    expect(await canonicalSha256Async('p', deep)).toBeUndefined();
  });

  it('gives the exact cache key of exactKeyOf', async () => {
    const body = {
      model: 'm',
      messages: [{ role: 'user' as const, content: LONG_STRINGS[1] }],
      temperature: 0,
    };
    for (const strategy of ['full_request', 'content+model', 'content'] as const) {
      expect(await exactKeyOfAsync(body, strategy, 't', { chain: ['a/b'] })).toBe(
        exactKeyOf(body, strategy, 't', { chain: ['a/b'] }),
      );
    }
  });
});
