import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AiGatewayService, FilesService } from '@ai-gateway/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiOpenAiCompatible } from '../docs/api-compatible.decorator';
import { API_TAGS } from '../docs/api-tags';
import { setRequestMeta } from '../observability/request-meta';
import { callOptionsOf } from './call-options';
import { metaHeaders } from './meta-headers';
import { writeSse } from './sse-response';

/** `POST /v1/chat/completions`: OpenAI-compatible, JSON or SSE (`stream: true`). */
@Controller('v1')
@ApiTags(API_TAGS.openai.name)
export class ChatCompletionsController {
  constructor(
    private readonly gateway: AiGatewayService,
    private readonly files: FilesService,
  ) {}

  @HttpCode(200)
  @Post('chat/completions')
  @ApiOpenAiCompatible({
    summary: 'Chat completion (OpenAI-compatible; SSE with `stream: true`)',
    streams: true,
  })
  async create(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const body = request.body as { stream?: unknown } | null;
    const options = callOptionsOf(request, reply);
    // A file part must name one of the caller's files: the provider account is shared.
    await this.files.assertChatFilesOwned(body, options);
    if (body !== null && typeof body === 'object' && body.stream === true) {
      // Failures before the provider accepted the request still leave as a JSON error.
      const stream = await this.gateway.chatStream(body as never, options);
      setRequestMeta(request, stream.meta);
      reply.hijack();
      await writeSse(reply.raw, stream, reply.getHeaders());
      return;
    }
    const { response, meta } = await this.gateway.chat(body as never, options);
    setRequestMeta(request, meta);
    await reply.headers(metaHeaders(meta)).send(response);
  }
}
