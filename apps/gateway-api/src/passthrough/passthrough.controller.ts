import type { OnModuleInit } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { GatewayConfigService, PassthroughPipeline } from '@ai-gateway/core';
import type { PassthroughEndpoint } from '@ai-gateway/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { callOptionsOf } from '../chat/call-options';
import { metaHeaders } from '../chat/meta-headers';
import { ApiOpenAiCompatible } from '../docs/api-compatible.decorator';
import { API_TAGS } from '../docs/api-tags';
import { setRequestMeta } from '../observability/request-meta';
import { registerMultipartParser } from './multipart-body.parser';

/**
 * OpenAI's other endpoints, passed through to the providers that have them:
 * `POST /v1/completions` (legacy), `/v1/moderations`, `/v1/images/generations`,
 * `/v1/audio/speech` (binary answer) and `/v1/audio/transcriptions` (multipart upload).
 * Answers stream back with the upstream's status and content type, and the gateway's
 * `x-gateway-*` headers.
 */
@Controller('v1')
@ApiTags(API_TAGS.openai.name)
export class PassthroughController implements OnModuleInit {
  constructor(
    private readonly gateway: PassthroughPipeline,
    private readonly adapter: HttpAdapterHost,
    private readonly config: GatewayConfigService,
  ) {}

  /** The upload parser these routes need; registered before the server starts. */
  onModuleInit(): void {
    const fastify = this.adapter.httpAdapter.getInstance<FastifyInstance>();
    registerMultipartParser(fastify, this.config.current.server.bodyLimitBytes);
  }

  @HttpCode(200)
  @Post('completions')
  @ApiOpenAiCompatible({
    summary: 'Legacy completion (OpenAI-compatible, passed through)',
    streams: true,
  })
  completions(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.forward('completions', request, reply);
  }

  @HttpCode(200)
  @Post('moderations')
  @ApiOpenAiCompatible({ summary: 'Moderation (OpenAI-compatible, passed through)' })
  moderations(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.forward('moderations', request, reply);
  }

  @HttpCode(200)
  @Post('images/generations')
  @ApiOpenAiCompatible({ summary: 'Image generation (OpenAI-compatible, passed through)' })
  images(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.forward('images.generations', request, reply);
  }

  @HttpCode(200)
  @Post('audio/speech')
  @ApiOpenAiCompatible({
    summary: 'Text to speech (OpenAI-compatible, passed through; audio answer)',
    answer: 'bytes',
  })
  speech(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.forward('audio.speech', request, reply);
  }

  @HttpCode(200)
  @Post('audio/transcriptions')
  @ApiOpenAiCompatible({
    summary: 'Speech to text (OpenAI-compatible, passed through; multipart upload)',
    description: 'JSON, or text with a text `response_format`.',
    body: 'multipart',
  })
  transcriptions(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.forward('audio.transcriptions', request, reply);
  }

  private async forward(
    endpoint: PassthroughEndpoint,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    const result = await this.gateway.forward(
      { endpoint, body: request.body, contentType: request.headers['content-type'] },
      callOptionsOf(request, reply),
    );
    setRequestMeta(request, result.meta);
    await reply
      .status(result.status)
      .headers({ ...metaHeaders(result.meta), ...result.headers })
      .send(result.body);
  }
}
