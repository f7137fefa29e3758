import { Injectable, Logger } from '@nestjs/common';
import { JobRecordEntity } from './job-record.entity';
import { UsageDatabase } from './usage-database.service';

/** A job as the store keeps it: its place and its JSON, which only the queue reads. */
export interface JobRecord {
  id: string;
  type: string;
  state: string;
  attempts: number;
  maxAttempts: number;
  /** Epoch ms. */
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  /** JSON text. */
  data: string;
  result?: string;
  error?: string;
}

/**
 * Where the in-process task queue keeps its jobs on the embedded file store, so a restart
 * keeps the job history and runs the jobs that were still waiting. Only the file store
 * keeps them (`enabled`): in memory they would go with the process anyway, and a gateway on
 * PostgreSQL that needs durable jobs shared by several instances runs BullMQ on Redis.
 * Writes are applied in the order they were asked for (one chain), never thrown: a failed
 * write is logged and the queue goes on in memory.
 */
@Injectable()
export class JobRecords {
  private readonly logger = new Logger(JobRecords.name);
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly database: UsageDatabase) {}

  /** True when the jobs are kept: the embedded file store. */
  get enabled(): boolean {
    return this.database.isFile;
  }

  /** Every kept job, oldest first. */
  async loadAll(): Promise<JobRecord[]> {
    if (!this.enabled) return [];
    const rows = await (
      await this.database.open()
    )
      .getRepository(JobRecordEntity)
      .find({ order: { createdAt: 'ASC' } });
    return rows.map(recordOf);
  }

  /** Writes the job as it is now (inserted or replaced). */
  save(record: JobRecord): Promise<void> {
    return this.enqueue('save', async () => {
      const repository = (await this.database.open()).getRepository(JobRecordEntity);
      await repository.upsert(entityOf(record), ['id']);
    });
  }

  /** Forgets jobs (trimmed from the history). */
  remove(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return Promise.resolve();
    return this.enqueue('remove', async () => {
      const repository = (await this.database.open()).getRepository(JobRecordEntity);
      for (let i = 0; i < ids.length; i += 500) await repository.delete(ids.slice(i, i + 500));
    });
  }

  /** Resolves when every write asked for so far is done. */
  settled(): Promise<void> {
    return this.chain;
  }

  private enqueue(what: string, write: () => Promise<void>): Promise<void> {
    if (!this.enabled) return Promise.resolve();
    this.chain = this.chain.then(write).catch((error: unknown) => {
      this.logger.warn({
        msg: `job history ${what} failed; the job goes on in memory`,
        error: error instanceof Error ? error.message : String(error),
      });
    });
    return this.chain;
  }
}

function entityOf(record: JobRecord): JobRecordEntity {
  return {
    id: record.id,
    type: record.type,
    state: record.state,
    attempts: record.attempts,
    maxAttempts: record.maxAttempts,
    createdAt: new Date(record.createdAt),
    startedAt: record.startedAt === undefined ? null : new Date(record.startedAt),
    finishedAt: record.finishedAt === undefined ? null : new Date(record.finishedAt),
    data: record.data,
    result: record.result ?? null,
    error: record.error ?? null,
  };
}

function recordOf(entity: JobRecordEntity): JobRecord {
  return {
    id: entity.id,
    type: entity.type,
    state: entity.state,
    attempts: entity.attempts,
    maxAttempts: entity.maxAttempts,
    createdAt: entity.createdAt.getTime(),
    ...(entity.startedAt ? { startedAt: entity.startedAt.getTime() } : {}),
    ...(entity.finishedAt ? { finishedAt: entity.finishedAt.getTime() } : {}),
    data: entity.data,
    ...(entity.result !== null ? { result: entity.result } : {}),
    ...(entity.error !== null ? { error: entity.error } : {}),
  };
}
