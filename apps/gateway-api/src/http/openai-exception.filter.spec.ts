import {
  Controller,
  Get,
  HttpException,
  Module,
  Param,
  ServiceUnavailableException,
} from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ThrottlerException } from '@nestjs/throttler';
import { GatewayError, GatewayErrorCode } from '@ai-gateway/core';
import { TaskError, TaskErrorCode } from '@ai-gateway/resume';
import { OpenAiExceptionFilter, toHttpError } from './openai-exception.filter';

describe('toHttpError', () => {
  it("answers @nestjs/throttler's ThrottlerException as a 429 rate_limit_exceeded", () => {
    expect(toHttpError(new ThrottlerException())).toEqual({
      status: 429,
      body: {
        error: {
          message: 'Too many requests to this endpoint; retry later',
          type: 'rate_limit_error',
          param: null,
          code: 'rate_limit_exceeded',
        },
      },
    });
    expect(toHttpError(new HttpException('slow down', 429)).body.error.code).toBe(
      'rate_limit_exceeded',
    );
  });

  it("answers terminus' 503 (a failed readiness check) as a 503 not_ready, other 5xx as 500", () => {
    const notReady = toHttpError(new ServiceUnavailableException({ status: 'error' }));
    expect(notReady.status).toBe(503);
    expect(notReady.body.error).toMatchObject({ type: 'server_error', code: 'not_ready' });
    expect(toHttpError(new HttpException('boom', 502)).status).toBe(500);
  });

  it('keeps the Retry-After of a rate_limit_exceeded GatewayError (the admin throttler)', () => {
    const error = new GatewayError(GatewayErrorCode.RATE_LIMIT_EXCEEDED, 'Rate limit reached', {
      retryAfterMs: 60_000,
    });
    expect(toHttpError(error)).toEqual({
      status: 429,
      body: {
        error: {
          message: 'Rate limit reached',
          type: 'rate_limit_error',
          param: null,
          code: 'rate_limit_exceeded',
        },
      },
      retryAfterMs: 60_000,
    });
  });
});

const FAILURES: Record<string, () => Error> = {
  output: () => new TaskError(TaskErrorCode.INVALID_OUTPUT, 'no model answered well'),
  reused: () =>
    new TaskError(TaskErrorCode.IDEMPOTENCY_CONFLICT, 'key reused', { param: 'Idempotency-Key' }),
  busy: () =>
    new TaskError(TaskErrorCode.QUEUE_UNAVAILABLE, 'readers busy', { retryAfterMs: 4_500 }),
  gateway: () =>
    new GatewayError(GatewayErrorCode.MODEL_NOT_ALLOWED, 'not yours', { param: 'model' }),
};

@Controller('fail')
class FailingController {
  @Get(':kind')
  fail(@Param('kind') kind: string): never {
    throw FAILURES[kind]();
  }
}

@Module({
  controllers: [FailingController],
  providers: [{ provide: APP_FILTER, useClass: OpenAiExceptionFilter }],
})
class FailingModule {}

/** The app's one filter on a real Fastify app, registered as in `AppModule`. */
describe(OpenAiExceptionFilter.name, () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await NestFactory.create<NestFastifyApplication>(FailingModule, new FastifyAdapter(), {
      logger: false,
    });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  const get = (kind: string) =>
    app
      .getHttpAdapter()
      .getInstance()
      .inject({ url: `/fail/${kind}` });

  it.each([
    ['output', 502, 'api_error', 'invalid_model_output', null],
    ['reused', 409, 'invalid_request_error', 'idempotency_key_reused', 'Idempotency-Key'],
    ['busy', 503, 'api_error', 'queue_unavailable', null],
  ])(
    'answers a TaskError (%s) with its status and OpenAI’s error body',
    async (kind, status, type, code, param) => {
      const response = await get(kind);
      expect(response.statusCode).toBe(status);
      expect(response.json()).toEqual({
        error: { message: FAILURES[kind]().message, type, code, param },
      });
    },
  );

  it('sends Retry-After (seconds) and retry-after-ms when a TaskError carries a delay', async () => {
    const response = await get('busy');
    expect(response.headers['retry-after']).toBe('5');
    expect(response.headers['retry-after-ms']).toBe('4500');
    expect((await get('output')).headers['retry-after']).toBeUndefined();
  });

  it('answers a GatewayError with its own status and param', async () => {
    const response = await get('gateway');
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ error: { code: 'model_not_allowed', param: 'model' } });
  });
});
