import { LocalEmbedder } from './local-embedder';
import type { SemanticEntry, SemanticIndexLimits } from './semantic-index';
import { SemanticIndex } from './semantic-index';

const embedder = new LocalEmbedder();
const NOW = 1_000;

function entryOf(exactKey: string): SemanticEntry {
  return { exactKey, features: '{}', requestId: `r-${exactKey}`, expiresAt: NOW + 60_000 };
}

function indexWith(limits: Partial<SemanticIndexLimits> = {}): SemanticIndex {
  return new SemanticIndex(
    () => ({ maxEntriesPerScope: 100, maxScopes: 10_000, ...limits }),
    () => NOW,
  );
}

describe(SemanticIndex.name, () => {
  it('a new scope holds a few KB, not a preallocated slab (300 random system prompts)', () => {
    const index = indexWith();
    const vector = embedder.embedSync('What is the capital of France?');
    for (let i = 0; i < 300; i++) index.add(`scope-${i}`, vector, entryOf(`k${i}`), 'key:a');
    // One 384-dimension vector is 1,536 bytes; HEAD preallocated 64 rows (~99 KB) per scope.
    const perScope = index.approxBytes() / 300;
    expect(perScope).toBeLessThan(2 * 1_024);
    expect(perScope).toBeGreaterThanOrEqual(embedder.dimensions * 4);
  });

  it('a scope grows as entries arrive and still finds each one', () => {
    const index = indexWith();
    const texts = Array.from({ length: 70 }, (_, i) => `question ${i} about topic ${i * 7}`);
    texts.forEach((text, i) => index.add('s', embedder.embedSync(text), entryOf(`k${i}`), 'key:a'));
    expect(index.entryCount).toBe(70);
    for (const i of [0, 1, 2, 33, 63, 64, 69]) {
      expect(index.nearest('s', embedder.embedSync(texts[i]))?.entry.exactKey).toBe(`k${i}`);
    }
  });

  it('caps the scopes of one tenant: its own least recently used leave, never another tenant’s', () => {
    const index = indexWith({ maxScopes: 100, maxScopesPerTenant: 5 });
    const vector = embedder.embedSync('hello there');
    for (let i = 0; i < 3; i++) index.add(`b-${i}`, vector, entryOf(`b${i}`), 'key:b');
    for (let i = 0; i < 500; i++) index.add(`a-${i}`, vector, entryOf(`a${i}`), 'key:a');
    expect(index.scopesOf('key:a')).toBe(5);
    expect(index.scopesOf('key:b')).toBe(3);
    expect(index.scopeCount).toBe(8);
    for (let i = 0; i < 3; i++) expect(index.nearest(`b-${i}`, vector)).toBeDefined();
    // The newest five of tenant a stay.
    expect(index.has('a-499') && index.has('a-495')).toBe(true);
    expect(index.has('a-494')).toBe(false);
  });

  it('a tenant’s scope it uses stays; the one it has not used longest leaves', () => {
    const index = indexWith({ maxScopesPerTenant: 2 });
    const vector = embedder.embedSync('hello there');
    index.add('first', vector, entryOf('1'), 'key:a');
    index.add('second', vector, entryOf('2'), 'key:a');
    index.nearest('first', vector);
    index.add('third', vector, entryOf('3'), 'key:a');
    expect(index.has('first')).toBe(true);
    expect(index.has('second')).toBe(false);
    // The global bound still evicts across tenants, and keeps the per-tenant counts right.
    const small = indexWith({ maxScopes: 2, maxScopesPerTenant: 2 });
    small.add('a1', vector, entryOf('a1'), 'key:a');
    small.add('b1', vector, entryOf('b1'), 'key:b');
    small.add('b2', vector, entryOf('b2'), 'key:b');
    expect(small.scopesOf('key:a')).toBe(0);
    expect(small.scopesOf('key:b')).toBe(2);
    small.clear();
    expect(small.scopesOf('key:b')).toBe(0);
  });
});
