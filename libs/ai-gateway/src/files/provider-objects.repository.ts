import { Injectable } from '@nestjs/common';
import type { FindOptionsWhere, Repository } from 'typeorm';
import { Equal, IsNull, LessThan, MoreThan } from 'typeorm';
import { ProviderObjectEntity } from '../database/provider-object.entity';
import { UsageDatabase } from '../database/usage-database.service';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';

export type ProviderObjectKind = 'file' | 'batch';

/** A file or batch made through the gateway: where it lives, who owns it, how it last looked. */
export interface ProviderObject<T = Record<string, unknown>> {
  id: string;
  kind: ProviderObjectKind;
  provider: string;
  keyId: string | null;
  /** Who made it under that key (multi-user keys); null when the key names no user. */
  userId?: string | null;
  teamId?: string | null;
  /** Epoch milliseconds. */
  createdAt: number;
  object: T;
  accounted: boolean;
}

export interface ListQuery {
  limit: number;
  /** Cursor: the id of the last object of the previous page. */
  after?: string;
  order: 'asc' | 'desc';
}

/**
 * The files and batches of every key, in the gateway's one store (PostgreSQL or the
 * embedded sql.js): which provider holds each, which key owns it, its last-seen object.
 */
@Injectable()
export class ProviderObjectsRepository {
  constructor(private readonly database: UsageDatabase) {}

  /**
   * Records a new object. An id already recorded for another key or provider is never
   * taken over (a provider that reuses ids must not hand one key's record to another):
   * that is the provider's failure, and the record stays as it was.
   */
  async save(entry: Omit<ProviderObject, 'accounted'>): Promise<void> {
    const repository = await this.repository();
    const existing = await repository.findOneBy({ id: entry.id });
    if (existing) {
      if (existing.keyId !== entry.keyId || existing.provider !== entry.provider) {
        throw new GatewayError(
          GatewayErrorCode.SERVER_ERROR,
          `Provider ${entry.provider} returned the id of an object the gateway already records for another owner`,
          { provider: entry.provider },
        );
      }
      await repository.update({ id: entry.id }, { object: JSON.stringify(entry.object) });
      return;
    }
    await repository.insert({
      id: entry.id,
      kind: entry.kind,
      provider: entry.provider,
      keyId: entry.keyId,
      userId: entry.userId ?? null,
      teamId: entry.teamId ?? null,
      createdAt: new Date(entry.createdAt),
      object: JSON.stringify(entry.object),
      accounted: false,
    });
  }

  /** Records an object only if it is not known yet (a batch's output file, seen again). */
  async adopt(entry: Omit<ProviderObject, 'accounted'>): Promise<void> {
    if (await this.find(entry.id, entry.kind)) return;
    await this.save(entry);
  }

  async find<T = Record<string, unknown>>(
    id: string,
    kind: ProviderObjectKind,
  ): Promise<ProviderObject<T> | undefined> {
    const row = await (await this.repository()).findOneBy({ id, kind });
    return row ? objectOf<T>(row) : undefined;
  }

  async update(id: string, object: unknown): Promise<void> {
    await (await this.repository()).update({ id }, { object: JSON.stringify(object) });
  }

  async remove(id: string): Promise<void> {
    await (await this.repository()).delete({ id });
  }

  /**
   * Marks a batch's usage as written; true for the one caller that flipped it (so the
   * row is written once, whichever instance saw the batch end first).
   */
  async markAccounted(id: string): Promise<boolean> {
    const result = await (
      await this.repository()
    ).update({ id, accounted: false }, { accounted: true });
    return result.affected === 1;
  }

  /** Undoes {@link markAccounted} when the booking could not be completed (retried later). */
  async unmarkAccounted(id: string): Promise<void> {
    await (await this.repository()).update({ id }, { accounted: false });
  }

  /** One key's objects of a kind, newest first (or oldest), a page at a time. */
  async list(
    kind: ProviderObjectKind,
    keyId: string | null,
    query: ListQuery,
    filter?: (object: Record<string, unknown>) => boolean,
  ): Promise<{ data: ProviderObject[]; hasMore: boolean }> {
    const repository = await this.repository();
    // Without auth every object is the null key's: the same rule as for ownership checks.
    const owner = keyId === null ? IsNull() : keyId;
    let cursor: ProviderObjectEntity | null = null;
    if (query.after) {
      cursor = await repository.findOneBy({ id: query.after, kind, keyId: owner });
      // A cursor this key does not have names no place in its list: an empty page.
      if (!cursor) return { data: [], hasMore: false };
    }
    const descending = query.order === 'desc';
    const matching: ProviderObject[] = [];
    // Pages on (created_at, id), so objects made in the same millisecond are all listed;
    // a filter runs on the objects, so pages are read until one more than a page matched.
    const batch = filter ? Math.max(query.limit * 2, 50) : query.limit + 1;
    for (;;) {
      const base = { kind, keyId: owner };
      const where: Array<FindOptionsWhere<ProviderObjectEntity>> = cursor
        ? [
            {
              ...base,
              createdAt: descending ? LessThan(cursor.createdAt) : MoreThan(cursor.createdAt),
            },
            {
              ...base,
              createdAt: Equal(cursor.createdAt),
              id: descending ? LessThan(cursor.id) : MoreThan(cursor.id),
            },
          ]
        : [base];
      const direction = descending ? 'DESC' : 'ASC';
      const rows = await repository.find({
        where,
        order: { createdAt: direction, id: direction },
        take: batch,
      });
      for (const row of rows) {
        const entry = objectOf<Record<string, unknown>>(row);
        if (!filter || filter(entry.object)) matching.push(entry);
      }
      if (matching.length > query.limit || rows.length < batch) break;
      cursor = rows[rows.length - 1];
    }
    return { data: matching.slice(0, query.limit), hasMore: matching.length > query.limit };
  }

  private async repository(): Promise<Repository<ProviderObjectEntity>> {
    return (await this.database.open()).getRepository(ProviderObjectEntity);
  }
}

function objectOf<T>(row: ProviderObjectEntity): ProviderObject<T> {
  return {
    id: row.id,
    kind: row.kind as ProviderObjectKind,
    provider: row.provider,
    keyId: row.keyId,
    userId: row.userId,
    teamId: row.teamId,
    createdAt: row.createdAt.getTime(),
    object: JSON.parse(row.object) as T,
    accounted: row.accounted,
  };
}
