import { Controller, Get, Req } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { AiGatewayService, GatewayError, GatewayErrorCode } from '@ai-gateway/core';
import type { GatewayModel } from '@ai-gateway/core';
import type { FastifyRequest } from 'fastify';
import { ApiOpenAiCompatible } from '../docs/api-compatible.decorator';
import { API_TAGS } from '../docs/api-tags';

/** `created` of a model no list entry names (a bare model id): when this process started. */
const STARTED_AT = Math.floor(Date.now() / 1000);
const MODELS_PATH = '/v1/models/';

/**
 * `GET /v1/models`: every `provider/model` and route a caller can name.
 * `GET /v1/models/{id}`: one of them, or any name the gateway would route (a bare model
 * id a provider serves); unknown → 404 `model_not_found`, as OpenAI answers.
 */
@Controller('v1')
@ApiTags(API_TAGS.openai.name)
export class ModelsController {
  constructor(private readonly gateway: AiGatewayService) {}

  @Get('models')
  @ApiOpenAiCompatible({
    summary: 'The models and routes a caller can name (OpenAI-compatible)',
    body: 'none',
  })
  list(): { object: 'list'; data: GatewayModel[] } {
    return { object: 'list', data: this.gateway.listModels() };
  }

  // A wildcard: ids have slashes (`openai/gpt-4o-mini`), sent as is or encoded (`%2F`, as the
  // official clients send them).
  @Get('models/*')
  @ApiOpenAiCompatible({
    summary: 'One model or route (OpenAI-compatible)',
    description: 'Any name the gateway would route; an unknown one is a 404 `model_not_found`.',
    body: 'none',
  })
  // The route is a wildcard (`models/*`), which the document names `path`.
  @ApiParam({
    name: 'path',
    description:
      'The model id: `provider/model`, a route or a bare model id (`/` may be sent as `%2F`).',
    example: 'openai/gpt-4o-mini',
  })
  retrieve(@Req() request: FastifyRequest): GatewayModel {
    const id = modelIdOf(request.url);
    const listed = this.gateway.listModels().find((model) => model.id === id);
    if (listed) return listed;
    // Throws model_not_found for a name no route or provider serves.
    const [first] = this.gateway.candidatesFor(id);
    const provider = first.slice(0, first.indexOf('/'));
    return { id, object: 'model', created: STARTED_AT, owned_by: provider, provider };
  }
}

/** The model id of `/v1/models/{id}`: the raw path after the prefix, decoded once. */
export function modelIdOf(url: string): string {
  const path = url.split('?', 1)[0];
  const raw = path.startsWith(MODELS_PATH) ? path.slice(MODELS_PATH.length) : '';
  let id: string;
  try {
    id = decodeURIComponent(raw);
  } catch {
    id = raw;
  }
  if (id === '') {
    throw new GatewayError(GatewayErrorCode.MODEL_NOT_FOUND, 'Name a model: GET /v1/models/{id}', {
      param: 'model',
    });
  }
  return id;
}
