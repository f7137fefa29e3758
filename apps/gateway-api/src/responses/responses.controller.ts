import { Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ResponsesService } from '@ai-gateway/core';
import type { DeletedResponse, ResponseObject } from '@ai-gateway/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestAuthOf } from '../auth/request-auth';
import { callOptionsOf } from '../chat/call-options';
import { metaHeaders } from '../chat/meta-headers';
import { ApiOpenAiCompatible } from '../docs/api-compatible.decorator';
import { API_TAGS } from '../docs/api-tags';
import { setRequestMeta } from '../observability/request-meta';
import { writeResponsesSse } from './responses-sse';

/**
 * OpenAI's Responses API: `POST /v1/responses` (JSON, or SSE with `stream: true`) served
 * by any provider through the chat path; `GET` / `DELETE /v1/responses/{id}` for stored
 * responses, which belong to the gateway key that created them.
 */
@Controller('v1/responses')
@ApiTags(API_TAGS.openai.name)
export class ResponsesController {
  constructor(private readonly responses: ResponsesService) {}

  @HttpCode(200)
  @Post()
  @ApiOpenAiCompatible({
    summary: 'Create a response (OpenAI Responses API; SSE with `stream: true`)',
    description:
      'Served by any provider through the chat path; stored responses belong to the key that created them.',
    streams: true,
  })
  async create(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const body = request.body as { stream?: unknown } | null;
    const options = callOptionsOf(request, reply);
    if (body !== null && typeof body === 'object' && body.stream === true) {
      // Failures before a provider accepted the request still leave as a JSON error.
      const stream = await this.responses.stream(body, options);
      setRequestMeta(request, stream.meta);
      reply.hijack();
      await writeResponsesSse(reply.raw, stream, reply.getHeaders());
      return;
    }
    const { response, meta } = await this.responses.create(body, options);
    setRequestMeta(request, meta);
    await reply.headers(metaHeaders(meta)).send(response);
  }

  @Get(':id')
  @ApiOpenAiCompatible({ summary: 'Read a stored response (OpenAI Responses API)', body: 'none' })
  retrieve(@Param('id') id: string, @Req() request: FastifyRequest): Promise<ResponseObject> {
    return this.responses.retrieve(id, requestAuthOf(request)?.caller);
  }

  @Delete(':id')
  @ApiOpenAiCompatible({ summary: 'Delete a stored response (OpenAI Responses API)', body: 'none' })
  remove(@Param('id') id: string, @Req() request: FastifyRequest): Promise<DeletedResponse> {
    return this.responses.delete(id, requestAuthOf(request)?.caller);
  }
}
