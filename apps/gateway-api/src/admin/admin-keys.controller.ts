import { Body, Controller, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { GatewayKeys, parseGatewayKeyInput } from '@ai-gateway/core';
import type { GatewayKeyInput, GatewayKeyView } from '@ai-gateway/core';
import { RequireAccess } from '../auth/access.decorator';
import { GatewayAuthGuard } from '../auth/gateway-auth.guard';
import { AdminThrottlerGuard } from '../throttle/admin-throttler.guard';

/** A key as the admin API returns it; `key` (the secret) only on create and rotate. */
type KeyBody = GatewayKeyView & { object: 'gateway_key'; key?: string };

/**
 * The admin API for gateway keys, guarded by the admin key: create (the secret is in
 * that response and never again), list, read, update, disable, enable, rotate.
 */
@Controller('v1/admin/keys')
@RequireAccess('admin')
@UseGuards(GatewayAuthGuard, AdminThrottlerGuard)
export class AdminKeysController {
  constructor(private readonly keys: GatewayKeys) {}

  @Post()
  @HttpCode(201)
  async create(@Body() body: unknown): Promise<KeyBody> {
    const issued = await this.keys.create(parseGatewayKeyInput(body) as GatewayKeyInput);
    return { object: 'gateway_key', ...issued.key, key: issued.secret };
  }

  @Get()
  async list(): Promise<{ object: 'list'; data: KeyBody[] }> {
    const keys = await this.keys.list();
    return { object: 'list', data: keys.map((key) => ({ object: 'gateway_key', ...key })) };
  }

  @Get(':id')
  async get(@Param('id') id: string): Promise<KeyBody> {
    return { object: 'gateway_key', ...(await this.keys.get(id)) };
  }

  @Patch(':id')
  async update(@Param('id') id: string, @Body() body: unknown): Promise<KeyBody> {
    return {
      object: 'gateway_key',
      ...(await this.keys.update(id, parseGatewayKeyInput(body, true))),
    };
  }

  @Post(':id/disable')
  @HttpCode(200)
  async disable(@Param('id') id: string): Promise<KeyBody> {
    return { object: 'gateway_key', ...(await this.keys.disable(id)) };
  }

  @Post(':id/enable')
  @HttpCode(200)
  async enable(@Param('id') id: string): Promise<KeyBody> {
    return { object: 'gateway_key', ...(await this.keys.enable(id)) };
  }

  @Post(':id/rotate')
  @HttpCode(200)
  async rotate(@Param('id') id: string): Promise<KeyBody> {
    const issued = await this.keys.rotate(id);
    return { object: 'gateway_key', ...issued.key, key: issued.secret };
  }
}
