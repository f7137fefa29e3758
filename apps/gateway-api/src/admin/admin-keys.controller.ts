import { Body, Controller, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { GatewayKeys, parseGatewayKeyInput } from '@ai-gateway/core';
import type { GatewayKeyInput, GatewayKeyView } from '@ai-gateway/core';
import { RequireAccess } from '../auth/access.decorator';
import { GatewayAuthGuard } from '../auth/gateway-auth.guard';
import { ApiErrors, ApiJson, ApiJsonBody } from '../docs/api-responses.decorator';
import { API_TAGS } from '../docs/api-tags';
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
@ApiTags(API_TAGS.adminKeys.name)
@ApiErrors(429, 503)
export class AdminKeysController {
  constructor(private readonly keys: GatewayKeys) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a gateway key' })
  @ApiJsonBody('GatewayKeyCreate')
  @ApiJson(201, 'GatewayKeyIssued', 'The key, with its secret: the only time it is shown.')
  @ApiErrors(400)
  async create(@Body() body: unknown): Promise<KeyBody> {
    const issued = await this.keys.create(parseGatewayKeyInput(body) as GatewayKeyInput);
    return { object: 'gateway_key', ...issued.key, key: issued.secret };
  }

  @Get()
  @ApiOperation({ summary: 'List the gateway keys' })
  @ApiJson(200, 'GatewayKeyList', 'Every key, without secrets.')
  async list(): Promise<{ object: 'list'; data: KeyBody[] }> {
    const keys = await this.keys.list();
    return { object: 'list', data: keys.map((key) => ({ object: 'gateway_key', ...key })) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a gateway key' })
  @ApiParam({ name: 'id', description: 'The key id.' })
  @ApiJson(200, 'GatewayKey', 'The key, without its secret.')
  @ApiErrors(404)
  async get(@Param('id') id: string): Promise<KeyBody> {
    return { object: 'gateway_key', ...(await this.keys.get(id)) };
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a gateway key (name, user, team, models, budget, limits, expiry)',
  })
  @ApiParam({ name: 'id', description: 'The key id.' })
  @ApiJsonBody('GatewayKeyUpdate')
  @ApiJson(200, 'GatewayKey', 'The key as changed.')
  @ApiErrors(400, 404)
  async update(@Param('id') id: string, @Body() body: unknown): Promise<KeyBody> {
    return {
      object: 'gateway_key',
      ...(await this.keys.update(id, parseGatewayKeyInput(body, true))),
    };
  }

  @Post(':id/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable a gateway key: refused from now on' })
  @ApiParam({ name: 'id', description: 'The key id.' })
  @ApiJson(200, 'GatewayKey', 'The key, disabled.')
  @ApiErrors(404)
  async disable(@Param('id') id: string): Promise<KeyBody> {
    return { object: 'gateway_key', ...(await this.keys.disable(id)) };
  }

  @Post(':id/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable a disabled gateway key' })
  @ApiParam({ name: 'id', description: 'The key id.' })
  @ApiJson(200, 'GatewayKey', 'The key, enabled.')
  @ApiErrors(404)
  async enable(@Param('id') id: string): Promise<KeyBody> {
    return { object: 'gateway_key', ...(await this.keys.enable(id)) };
  }

  @Post(':id/rotate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate a gateway key: a new secret, the old one stops working' })
  @ApiParam({ name: 'id', description: 'The key id.' })
  @ApiJson(200, 'GatewayKeyIssued', 'The key, with its new secret: the only time it is shown.')
  @ApiErrors(404)
  async rotate(@Param('id') id: string): Promise<KeyBody> {
    const issued = await this.keys.rotate(id);
    return { object: 'gateway_key', ...issued.key, key: issued.secret };
  }
}
