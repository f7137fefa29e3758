import type { Clock } from '../../shared/clock';
import type { CachedResponse, ExactCacheStore } from '../cached-response';

/** Bookkeeping per entry beyond its JSON (Map slot, object headers), in bytes. */
const ENTRY_OVERHEAD = 256;

interface Slot {
  entry: CachedResponse;
  bytes: number;
  expiresAt: number;
}

/**
 * Exact entries in this process, bounded by size: each entry is charged its JSON size
 * (UTF-8) plus its key and a fixed overhead; above the bound the least recently used
 * leave first. A Map keeps insertion order, so a hit moves its entry to the end and
 * eviction takes from the front — O(1) both ways.
 */
export class MemoryExactCacheStore implements ExactCacheStore {
  readonly kind = 'memory';
  private readonly slots = new Map<string, Slot>();
  private used = 0;

  constructor(
    private readonly maxBytes: () => number,
    private readonly clock: Clock,
  ) {}

  /** Bytes charged to the entries held now, and their count. */
  held(): { bytes: number; entries: number } {
    return { bytes: this.used, entries: this.slots.size };
  }

  get(key: string): Promise<CachedResponse | undefined> {
    return Promise.resolve(this.read(key));
  }

  set(key: string, entry: CachedResponse, ttlMs: number): Promise<void> {
    const bytes = Buffer.byteLength(JSON.stringify(entry)) + key.length + ENTRY_OVERHEAD;
    this.remove(key);
    const limit = this.maxBytes();
    if (bytes <= limit) {
      this.evict(limit - bytes);
      this.slots.set(key, { entry, bytes, expiresAt: this.clock.now() + ttlMs });
      this.used += bytes;
    }
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.remove(key);
    return Promise.resolve();
  }

  private read(key: string): CachedResponse | undefined {
    const slot = this.slots.get(key);
    if (!slot) return undefined;
    this.slots.delete(key);
    if (slot.expiresAt <= this.clock.now()) {
      this.used -= slot.bytes;
      return undefined;
    }
    this.slots.set(key, slot);
    return slot.entry;
  }

  private remove(key: string): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    this.slots.delete(key);
    this.used -= slot.bytes;
  }

  /** Drops the least recently used entries until at most `room` bytes are in use. */
  private evict(room: number): void {
    for (const [key, slot] of this.slots) {
      if (this.used <= room) return;
      this.slots.delete(key);
      this.used -= slot.bytes;
    }
  }
}
