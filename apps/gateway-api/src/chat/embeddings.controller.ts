import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AiGatewayService } from '@ai-gateway/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiOpenAiCompatible } from '../docs/api-compatible.decorator';
import { API_TAGS } from '../docs/api-tags';
import { setRequestMeta } from '../observability/request-meta';
import { callOptionsOf } from './call-options';
import { metaHeaders } from './meta-headers';

/** `POST /v1/embeddings`: OpenAI-compatible (float or base64 encoding). */
@Controller('v1')
@ApiTags(API_TAGS.openai.name)
export class EmbeddingsController {
  constructor(private readonly gateway: AiGatewayService) {}

  @HttpCode(200)
  @Post('embeddings')
  @ApiOpenAiCompatible({ summary: 'Embeddings (OpenAI-compatible)' })
  async create(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const { response, meta } = await this.gateway.embed(
      request.body as never,
      callOptionsOf(request, reply),
    );
    setRequestMeta(request, meta);
    await reply.headers(metaHeaders(meta)).send(response);
  }
}
