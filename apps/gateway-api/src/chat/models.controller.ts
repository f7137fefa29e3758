import { Controller, Get } from '@nestjs/common';
import { AiGatewayService } from '@ai-gateway/core';
import type { GatewayModel } from '@ai-gateway/core';

/** `GET /v1/models`: every `provider/model` and route a caller can name. */
@Controller('v1')
export class ModelsController {
  constructor(private readonly gateway: AiGatewayService) {}

  @Get('models')
  list(): { object: 'list'; data: GatewayModel[] } {
    return { object: 'list', data: this.gateway.listModels() };
  }
}
