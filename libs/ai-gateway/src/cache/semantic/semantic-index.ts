import { ScopeVectorIndex } from './vector-index';

/** A cached prompt in a semantic scope: where its answer is, and what the guards compare. */
export interface SemanticEntry {
  /** The exact-cache key of the answer. */
  exactKey: string;
  /**
   * Numbers, negations, entities and qualifiers of the prompt (never its text), as the
   * JSON of its `PromptFeatures`: a string holds ~100 bytes where the object's arrays
   * would hold several times that, and only the nearest entry's is ever read.
   */
  features: string;
  /** The request that stored it (shadow mode names both requests). */
  requestId: string;
  /** Epoch ms after which it is not served. */
  expiresAt: number;
}

/** The nearest live entry of a scope and its cosine similarity to the query. */
export interface SemanticMatch {
  entry: SemanticEntry;
  similarity: number;
}

export interface SemanticIndexLimits {
  maxEntriesPerScope: number;
  maxScopes: number;
  /**
   * Scopes one tenant may hold (least recently used of its own leave first), so that a
   * tenant sending endless distinct system prompts recycles its own scopes, never the
   * other tenants'. Absent: bounded by `maxScopes` only.
   */
  maxScopesPerTenant?: number;
  annFrom?: number;
}

interface Scope {
  key: string;
  tenant: string;
  dimensions: number;
  vectors: ScopeVectorIndex;
  /** By index id, least recently used first (a hit moves its entry to the end). */
  entries: Map<number, SemanticEntry>;
  /** Index id of each exact key, so a re-stored prompt replaces its entry. */
  ids: Map<string, number>;
  nextId: number;
}

/**
 * Semantic entries of this process, by scope: each scope a vector index (exact scan,
 * approximate once large) and its entries. Bounded everywhere: entries per scope and
 * scopes in all leave least recently used first, expired entries are dropped when met.
 */
export class SemanticIndex {
  /** Every scope, least recently used first. */
  private readonly scopes = new Map<string, Scope>();
  /** The scopes of each tenant, least recently used first. */
  private readonly tenants = new Map<string, Map<string, Scope>>();

  constructor(
    private readonly limits: () => SemanticIndexLimits,
    private readonly now: () => number,
  ) {}

  get scopeCount(): number {
    return this.scopes.size;
  }

  has(scopeKey: string): boolean {
    return this.scopes.has(scopeKey);
  }

  /** Entries held in every scope. */
  get entryCount(): number {
    let count = 0;
    for (const scope of this.scopes.values()) count += scope.entries.size;
    return count;
  }

  /** Memory held by the vectors and indexes, in bytes. */
  approxBytes(): number {
    let bytes = 0;
    for (const scope of this.scopes.values()) bytes += scope.vectors.approxBytes();
    return bytes;
  }

  /** The most similar live entry of the scope; undefined when the scope is empty. */
  nearest(scopeKey: string, vector: Float32Array): SemanticMatch | undefined {
    const scope = this.scopes.get(scopeKey);
    if (!scope || scope.dimensions !== vector.length) return undefined;
    this.touchScope(scope);
    const now = this.now();
    // Expired entries met on the way are dropped; each try removes one, so this ends.
    for (;;) {
      const found = scope.vectors.nearest(vector);
      if (!found) return undefined;
      const entry = scope.entries.get(found.id);
      if (entry && entry.expiresAt > now) {
        scope.entries.delete(found.id);
        scope.entries.set(found.id, entry);
        return { entry, similarity: found.similarity };
      }
      this.drop(scope, found.id);
    }
  }

  /**
   * Adds an entry to a scope of `tenant` (the tenant a scope was created for keeps it).
   * A new scope's vectors start with room for one (see `ScopeVectorIndex`).
   */
  add(scopeKey: string, vector: Float32Array, entry: SemanticEntry, tenant = ''): void {
    const limits = this.limits();
    let scope = this.scopes.get(scopeKey);
    if (scope && scope.dimensions !== vector.length) return;
    if (!scope) {
      scope = {
        key: scopeKey,
        tenant,
        dimensions: vector.length,
        vectors: new ScopeVectorIndex({ dimensions: vector.length, annFrom: limits.annFrom }),
        entries: new Map(),
        ids: new Map(),
        nextId: 0,
      };
      this.scopes.set(scopeKey, scope);
      let own = this.tenants.get(tenant);
      if (!own) {
        own = new Map<string, Scope>();
        this.tenants.set(tenant, own);
      }
      own.set(scopeKey, scope);
      const perTenant = limits.maxScopesPerTenant ?? Infinity;
      for (const oldest of own.values()) {
        if (own.size <= perTenant) break;
        this.dropScope(oldest);
      }
      for (const oldest of this.scopes.values()) {
        if (this.scopes.size <= limits.maxScopes) break;
        this.dropScope(oldest);
      }
    } else this.touchScope(scope);
    const previous = scope.ids.get(entry.exactKey);
    if (previous !== undefined) this.drop(scope, previous);
    const id = scope.nextId++;
    scope.vectors.add(id, vector);
    scope.entries.set(id, entry);
    scope.ids.set(entry.exactKey, id);
    const now = this.now();
    for (const [oldId, oldest] of scope.entries) {
      if (scope.entries.size <= limits.maxEntriesPerScope && oldest.expiresAt > now) break;
      this.drop(scope, oldId);
    }
  }

  /** Forgets the entry of an exact key (its answer is gone from the exact store). */
  remove(scopeKey: string, exactKey: string): void {
    const scope = this.scopes.get(scopeKey);
    const id = scope?.ids.get(exactKey);
    if (scope && id !== undefined) this.drop(scope, id);
  }

  clear(): void {
    for (const scope of this.scopes.values()) scope.vectors.clear();
    this.scopes.clear();
    this.tenants.clear();
  }

  /** Scopes held for `tenant`. */
  scopesOf(tenant: string): number {
    return this.tenants.get(tenant)?.size ?? 0;
  }

  private dropScope(scope: Scope): void {
    scope.vectors.clear();
    this.scopes.delete(scope.key);
    const own = this.tenants.get(scope.tenant);
    own?.delete(scope.key);
    if (own?.size === 0) this.tenants.delete(scope.tenant);
  }

  private drop(scope: Scope, id: number): void {
    const entry = scope.entries.get(id);
    scope.vectors.remove(id);
    scope.entries.delete(id);
    if (entry && scope.ids.get(entry.exactKey) === id) scope.ids.delete(entry.exactKey);
  }

  private touchScope(scope: Scope): void {
    this.scopes.delete(scope.key);
    this.scopes.set(scope.key, scope);
    const own = this.tenants.get(scope.tenant);
    if (own) {
      own.delete(scope.key);
      own.set(scope.key, scope);
    }
  }
}
