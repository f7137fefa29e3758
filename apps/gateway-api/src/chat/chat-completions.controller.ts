import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { AiGatewayService, FilesService } from '@ai-gateway/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { setRequestMeta } from '../observability/request-meta';
import { callOptionsOf } from './call-options';
import { metaHeaders } from './meta-headers';
import { writeSse } from './sse-response';

/** `POST /v1/chat/completions`: OpenAI-compatible, JSON or SSE (`stream: true`). */
@Controller('v1')
export class ChatCompletionsController {
  constructor(
    private readonly gateway: AiGatewayService,
    private readonly files: FilesService,
  ) {}

  @HttpCode(200)
  @Post('chat/completions')
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
