import { Injectable } from '@nestjs/common';
import type { Repository } from 'typeorm';
import { UsageDatabase } from '../database/usage-database.service';
import { GatewayKeyEntity } from '../database/gateway-key.entity';

/** The gateway keys' door to the database (the same store as the usage log). */
@Injectable()
export class GatewayKeyRepository {
  constructor(private readonly database: UsageDatabase) {}

  /** True when keys live only in this process's memory (lost at restart). */
  get volatile(): boolean {
    return this.database.inMemory;
  }

  async insert(entity: GatewayKeyEntity): Promise<void> {
    await (await this.repository()).insert(entity);
  }

  async save(entity: GatewayKeyEntity): Promise<void> {
    await (await this.repository()).save(entity);
  }

  async findById(id: string): Promise<GatewayKeyEntity | undefined> {
    return (await (await this.repository()).findOneBy({ id })) ?? undefined;
  }

  async findByHash(secretHash: string): Promise<GatewayKeyEntity | undefined> {
    return (await (await this.repository()).findOneBy({ secretHash })) ?? undefined;
  }

  /** Every key, newest first. */
  async list(): Promise<GatewayKeyEntity[]> {
    return (await this.repository()).find({ order: { createdAt: 'DESC', id: 'ASC' } });
  }

  private async repository(): Promise<Repository<GatewayKeyEntity>> {
    return (await this.database.open()).getRepository(GatewayKeyEntity);
  }
}
