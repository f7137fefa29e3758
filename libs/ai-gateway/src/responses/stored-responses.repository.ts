import { Injectable, Logger } from '@nestjs/common';
import type { Repository } from 'typeorm';
import { LessThan } from 'typeorm';
import { GatewayConfigService } from '../config/gateway-config.service';
import { StoredResponseEntity } from '../database/stored-response.entity';
import { UsageDatabase } from '../database/usage-database.service';
import type { Clock } from '../shared/clock';
import { InjectClock } from '../shared/clock';
import type { ResponseInputItem, ResponseObject, StoredResponse } from './responses.types';

const DAY_MS = 86_400_000;
/** Expired rows are deleted at most this often, by the write that finds the time has come. */
const PURGE_INTERVAL_MS = 3_600_000;

/**
 * The stored responses' door to the database (the gateway's one store: PostgreSQL or the
 * embedded sql.js). A row lives `usage.responsesRetentionDays`; reads never return an
 * expired one, and writes delete expired rows now and then.
 */
@Injectable()
export class StoredResponsesRepository {
  private readonly logger = new Logger(StoredResponsesRepository.name);
  private lastPurge = 0;

  constructor(
    private readonly database: UsageDatabase,
    private readonly config: GatewayConfigService,
    @InjectClock() private readonly clock: Clock,
  ) {}

  async save(stored: StoredResponse): Promise<void> {
    const now = this.clock.now();
    const days = this.config.current.usage.responsesRetentionDays;
    const entity: StoredResponseEntity = {
      id: stored.response.id,
      keyId: stored.keyId,
      createdAt: new Date(stored.response.created_at * 1000),
      expiresAt: new Date(now + days * DAY_MS),
      input: JSON.stringify(stored.input),
      response: JSON.stringify(stored.response),
    };
    await (await this.repository()).insert(entity);
    if (now - this.lastPurge >= PURGE_INTERVAL_MS) {
      this.lastPurge = now;
      void this.purgeExpired(now);
    }
  }

  /** The stored response `id` if it exists and has not expired (ownership is the caller's check). */
  async find(id: string): Promise<StoredResponse | undefined> {
    const row = await (await this.repository()).findOneBy({ id });
    if (!row || row.expiresAt.getTime() <= this.clock.now()) return undefined;
    return {
      keyId: row.keyId,
      input: JSON.parse(row.input) as ResponseInputItem[],
      response: JSON.parse(row.response) as ResponseObject,
    };
  }

  async remove(id: string): Promise<void> {
    await (await this.repository()).delete({ id });
  }

  /** Deletes every expired row; resolves with how many went, never rejects. */
  async purgeExpired(now = this.clock.now()): Promise<number> {
    try {
      const result = await (await this.repository()).delete({ expiresAt: LessThan(new Date(now)) });
      return result.affected ?? 0;
    } catch (error) {
      this.logger.warn({
        msg: 'stored responses: deleting expired rows failed',
        error: error instanceof Error ? error.message : String(error),
      });
      return 0;
    }
  }

  private async repository(): Promise<Repository<StoredResponseEntity>> {
    return (await this.database.open()).getRepository(StoredResponseEntity);
  }
}
