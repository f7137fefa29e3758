import { Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { BatchesService, FilesService } from '@ai-gateway/core';
import type { ListPage, ObjectResult } from '@ai-gateway/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestAuthOf } from '../auth/request-auth';
import { callOptionsOf } from '../chat/call-options';
import { metaHeaders } from '../chat/meta-headers';
import { ApiOpenAiCompatible } from '../docs/api-compatible.decorator';
import { API_TAGS } from '../docs/api-tags';
import { setRequestMeta } from '../observability/request-meta';

type Query = Record<string, unknown>;

/**
 * OpenAI's Files API (`/v1/files`): uploads go to the provider named by the
 * `x-gateway-provider` header, else the first OpenAI provider; every file belongs to the
 * key that uploaded it (any other key gets 404, lists show a key its own files only).
 */
@Controller('v1/files')
@ApiTags(API_TAGS.openai.name)
export class FilesController {
  constructor(private readonly files: FilesService) {}

  @HttpCode(200)
  @Post()
  @ApiOpenAiCompatible({
    summary: 'Upload a file (OpenAI Files API)',
    description:
      'To the provider named by `x-gateway-provider`, else the first OpenAI provider; the file belongs to the uploading key.',
    body: 'multipart',
  })
  async upload(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const named = request.headers['x-gateway-provider'];
    const result = await this.files.upload(
      request.body,
      request.headers['content-type'],
      typeof named === 'string' ? named : undefined,
      callOptionsOf(request, reply),
    );
    await sendObject(request, reply, result);
  }

  @Get()
  @ApiOpenAiCompatible({ summary: "List the caller's files (OpenAI Files API)", body: 'none' })
  list(@Req() request: FastifyRequest): Promise<ListPage<Record<string, unknown>>> {
    return this.files.list(request.query as Query, requestAuthOf(request)?.caller);
  }

  @Get(':id')
  @ApiOpenAiCompatible({ summary: 'Read a file (OpenAI Files API)', body: 'none' })
  async retrieve(
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await sendObject(request, reply, await this.files.retrieve(id, callOptionsOf(request, reply)));
  }

  @Get(':id/content')
  @ApiOpenAiCompatible({
    summary: "A file's content (OpenAI Files API)",
    body: 'none',
    answer: 'bytes',
  })
  async content(
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const result = await this.files.content(id, callOptionsOf(request, reply));
    setRequestMeta(request, result.meta);
    await reply
      .status(result.status)
      .headers({ ...metaHeaders(result.meta), ...result.headers })
      .send(result.body);
  }

  @Delete(':id')
  @ApiOpenAiCompatible({ summary: 'Delete a file (OpenAI Files API)', body: 'none' })
  async remove(
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await sendObject(request, reply, await this.files.delete(id, callOptionsOf(request, reply)));
  }
}

/**
 * OpenAI's Batch API (`/v1/batches`): a batch runs at the provider holding its input
 * file (one of the caller's), belongs to the caller's key, and its usage is booked once
 * when a retrieve first sees it finished.
 */
@Controller('v1/batches')
@ApiTags(API_TAGS.openai.name)
export class BatchesController {
  constructor(private readonly batches: BatchesService) {}

  @HttpCode(200)
  @Post()
  @ApiOpenAiCompatible({
    summary: 'Create a batch (OpenAI Batch API)',
    description: "Runs at the provider holding its input file (one of the caller's).",
  })
  async create(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const result = await this.batches.create(request.body, callOptionsOf(request, reply));
    await sendObject(request, reply, result);
  }

  @Get()
  @ApiOpenAiCompatible({ summary: "List the caller's batches (OpenAI Batch API)", body: 'none' })
  list(@Req() request: FastifyRequest): Promise<ListPage<Record<string, unknown>>> {
    return this.batches.list(request.query as Query, requestAuthOf(request)?.caller);
  }

  @Get(':id')
  @ApiOpenAiCompatible({ summary: 'Read a batch (OpenAI Batch API)', body: 'none' })
  async retrieve(
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const result = await this.batches.retrieve(id, callOptionsOf(request, reply));
    await sendObject(request, reply, result);
  }

  @HttpCode(200)
  @Post(':id/cancel')
  @ApiOpenAiCompatible({ summary: 'Cancel a batch (OpenAI Batch API)', body: 'none' })
  async cancel(
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const result = await this.batches.cancel(id, callOptionsOf(request, reply));
    await sendObject(request, reply, result);
  }
}

async function sendObject(
  request: FastifyRequest,
  reply: FastifyReply,
  result: ObjectResult,
): Promise<void> {
  setRequestMeta(request, result.meta);
  await reply.headers(metaHeaders(result.meta)).send(result.object);
}
