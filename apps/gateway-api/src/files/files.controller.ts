import { Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { BatchesService, FilesService } from '@ai-gateway/core';
import type { ListPage, ObjectResult } from '@ai-gateway/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestAuthOf } from '../auth/request-auth';
import { callOptionsOf } from '../chat/call-options';
import { metaHeaders } from '../chat/meta-headers';
import { setRequestMeta } from '../observability/request-meta';

type Query = Record<string, unknown>;

/**
 * OpenAI's Files API (`/v1/files`): uploads go to the provider named by the
 * `x-gateway-provider` header, else the first OpenAI provider; every file belongs to the
 * key that uploaded it (any other key gets 404, lists show a key its own files only).
 */
@Controller('v1/files')
export class FilesController {
  constructor(private readonly files: FilesService) {}

  @HttpCode(200)
  @Post()
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
  list(@Req() request: FastifyRequest): Promise<ListPage<Record<string, unknown>>> {
    return this.files.list(request.query as Query, requestAuthOf(request)?.caller);
  }

  @Get(':id')
  async retrieve(
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await sendObject(request, reply, await this.files.retrieve(id, callOptionsOf(request, reply)));
  }

  @Get(':id/content')
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
export class BatchesController {
  constructor(private readonly batches: BatchesService) {}

  @HttpCode(200)
  @Post()
  async create(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const result = await this.batches.create(request.body, callOptionsOf(request, reply));
    await sendObject(request, reply, result);
  }

  @Get()
  list(@Req() request: FastifyRequest): Promise<ListPage<Record<string, unknown>>> {
    return this.batches.list(request.query as Query, requestAuthOf(request)?.caller);
  }

  @Get(':id')
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
