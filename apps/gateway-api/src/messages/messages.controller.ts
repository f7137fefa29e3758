import { Controller, HttpCode, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { GatewayError, MessagesService } from '@ai-gateway/core';
import type { CallOptions, MessagesTokenCount } from '@ai-gateway/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestAuthOf } from '../auth/request-auth';
import { callOptionsOf, userOf } from '../chat/call-options';
import { metaHeaders } from '../chat/meta-headers';
import { ApiAnthropicCompatible } from '../docs/api-compatible.decorator';
import { API_TAGS } from '../docs/api-tags';
import { setRequestMeta } from '../observability/request-meta';
import { AnthropicExceptionFilter } from './anthropic-exception.filter';
import { writeMessagesSse } from './messages-sse';

/** Longest `metadata.user_id` taken as the usage row's user (Claude Code's are longer). */
const MAX_METADATA_USER = 128;

/**
 * Anthropic's Messages API: `POST /v1/messages` (JSON, or Anthropic's SSE events with
 * `stream: true`) and `POST /v1/messages/count_tokens`, errors in Anthropic's shape. The
 * Anthropic SDKs authenticate with `x-api-key` (a gateway key here) and send
 * `anthropic-version`; `anthropic-beta` flags are accepted and change nothing.
 */
@Controller('v1/messages')
@UseFilters(AnthropicExceptionFilter)
@ApiTags(API_TAGS.anthropic.name)
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @HttpCode(200)
  @Post()
  @ApiAnthropicCompatible({
    summary: "Create a message (Anthropic's Messages API; SSE with `stream: true`)",
    description:
      'Authenticate with `x-api-key` (a gateway key) as the Anthropic SDKs do; `anthropic-version`, when sent, must be a date.',
    streams: true,
  })
  async create(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    assertAnthropicVersion(request);
    const options = messagesCallOptionsOf(request, reply);
    const body = request.body as { stream?: unknown } | null;
    if (body !== null && typeof body === 'object' && body.stream === true) {
      // Failures before a provider accepted the request still leave as a JSON error.
      const stream = await this.messages.stream(body, options);
      setRequestMeta(request, stream.meta);
      reply.hijack();
      await writeMessagesSse(reply.raw, stream, reply.getHeaders());
      return;
    }
    const { message, meta } = await this.messages.create(body, options);
    setRequestMeta(request, meta);
    await reply.headers({ ...metaHeaders(meta), 'request-id': meta.requestId }).send(message);
  }

  @HttpCode(200)
  @Post('count_tokens')
  @ApiAnthropicCompatible({
    summary: "Count a message's input tokens (Anthropic's Messages API)",
    docsUrl: 'https://docs.anthropic.com/en/api/messages-count-tokens',
  })
  countTokens(@Req() request: FastifyRequest): Promise<MessagesTokenCount> {
    assertAnthropicVersion(request);
    return this.messages.countTokens(request.body, { caller: requestAuthOf(request)?.caller });
  }
}

/**
 * The chat path's call options (timers, cache and routing headers, the caller), with the
 * user named by `x-gateway-user` or Anthropic's `metadata.user_id` — counted only where
 * the key allows it (`userOf`). A `metadata.user_id` too long for a usage row is not the
 * caller's mistake (Anthropic takes opaque ids): it is left out, not refused.
 */
function messagesCallOptionsOf(request: FastifyRequest, reply: FastifyReply): CallOptions {
  const options = callOptionsOf(request, reply);
  if (request.headers['x-gateway-user'] !== undefined) return options;
  const metadata = (request.body as { metadata?: { user_id?: unknown } } | null)?.metadata;
  const claimed = metadata?.user_id;
  if (typeof claimed !== 'string' || claimed.length > MAX_METADATA_USER) return options;
  const userId = userOf(requestAuthOf(request), claimed);
  return userId === undefined ? options : { ...options, caller: { ...options.caller, userId } };
}

/** `anthropic-version` is optional here (any client may call), but must be a date when sent. */
function assertAnthropicVersion(request: FastifyRequest): void {
  const version = request.headers['anthropic-version'];
  if (version === undefined) return;
  if (typeof version !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(version.trim())) {
    throw GatewayError.invalidRequest(
      "Invalid header 'anthropic-version': a version date such as 2023-06-01",
      'anthropic-version',
    );
  }
}
