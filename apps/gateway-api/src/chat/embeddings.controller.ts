import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { AiGatewayService } from '@ai-gateway/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { setRequestMeta } from '../observability/request-meta';
import { callOptionsOf } from './call-options';
import { metaHeaders } from './meta-headers';

/** `POST /v1/embeddings`: OpenAI-compatible (float or base64 encoding). */
@Controller('v1')
export class EmbeddingsController {
  constructor(private readonly gateway: AiGatewayService) {}

  @HttpCode(200)
  @Post('embeddings')
  async create(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const { response, meta } = await this.gateway.embed(
      request.body as never,
      callOptionsOf(request, reply),
    );
    setRequestMeta(request, meta);
    await reply.headers(metaHeaders(meta)).send(response);
  }
}
