import { Logger } from '@nestjs/common';
import { GatewayErrorCode } from '../../errors/gateway-error-code';
import type { GatewayMiddleware } from '../../guardrails/gateway-middleware';
import { refuse } from '../../guardrails/gateway-middleware';
import { middlewareContext } from '../../guardrails/middleware.fixtures';
import { GatewayMetrics } from '../../observability/gateway-metrics.service';
import type { ChatStream, ResponseMeta } from '../../shared/call-result';
import type { ChatChunk, ChatRequest, ChatResponse } from '../../types/unified';
import { GuardedStream } from './guarded-stream';
import { GuardrailMetrics } from './guardrail-metrics';
import type { RunEntry } from './middleware-run';
import { MiddlewareRun } from './middleware-run';

const body: ChatRequest = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };

function runOf(
  middleware: GatewayMiddleware[],
  failModes: Array<'open' | 'closed'> = [],
): { run: MiddlewareRun; metrics: GatewayMetrics } {
  const metrics = new GatewayMetrics();
  const entries: RunEntry[] = middleware.map((m, i) => ({
    middleware: m,
    context: middlewareContext(body),
    failMode: failModes[i] ?? 'open',
    timeoutMs: 50,
  }));
  const logger = new Logger('test');
  jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
  return {
    run: new MiddlewareRun(entries, { metrics: new GuardrailMetrics(metrics), logger }),
    metrics,
  };
}

async function counter(metrics: GatewayMetrics, name: string): Promise<string> {
  return (await metrics.render())
    .split('\n')
    .filter((l) => l.startsWith(name))
    .join('\n');
}

describe('MiddlewareRun', () => {
  afterEach(() => jest.useRealTimers());

  it('runs before hooks in order and after hooks in reverse, on a copy of the request', async () => {
    const calls: string[] = [];
    const tag = (name: string): GatewayMiddleware => ({
      name,
      beforeRequest: async (c) => {
        await Promise.resolve();
        calls.push(`before ${name}`);
        c.request.messages[0].content = `${c.request.messages[0].content as string} ${name}`;
        c.decide('seen');
      },
      afterResponse: (_c, response) => {
        calls.push(`after ${name}`);
        response.choices[0].message.content += ` ${name}`;
      },
    });
    const { run, metrics } = runOf([tag('a'), tag('b')]);
    const sent = await run.before(body);
    expect(sent.messages[0].content).toBe('hi a b');
    expect(body.messages[0].content).toBe('hi');
    const response = {
      choices: [{ index: 0, message: { role: 'assistant', content: 'x' } }],
    } as unknown as ChatResponse;
    await run.after(response);
    expect(calls).toEqual(['before a', 'before b', 'after b', 'after a']);
    expect(response.choices[0].message.content).toBe('x b a');
    expect(run.decisions()).toBe('a=seen, b=seen');
    expect(await counter(metrics, 'gateway_guardrail_decisions_total')).toContain(
      'gateway_guardrail_decisions_total{middleware="a",decision="seen"} 1',
    );
  });

  it('a refusal stops the request whatever the fail mode', async () => {
    const after = jest.fn();
    const { run } = runOf([
      {
        name: 'guard',
        beforeRequest: () => Promise.reject(refuse(GatewayErrorCode.CONTENT_FLAGGED, 'no')),
      },
      { name: 'later', beforeRequest: after },
    ]);
    await expect(run.before(body)).rejects.toMatchObject({
      code: GatewayErrorCode.CONTENT_FLAGGED,
    });
    expect(after).not.toHaveBeenCalled();
    expect(run.decisions()).toBe('guard=refused');
  });

  it('a hook past its time budget: closed refuses with 503 code, open passes and counts it', async () => {
    jest.useFakeTimers();
    const slow: GatewayMiddleware = {
      name: 'slow',
      beforeRequest: () => new Promise(() => undefined),
    };
    const closed = runOf([slow], ['closed']);
    const refused = closed.run.before(body);
    const settled = expect(refused).rejects.toMatchObject({
      code: GatewayErrorCode.GUARDRAIL_UNAVAILABLE,
    });
    await jest.advanceTimersByTimeAsync(51);
    await settled;

    const open = runOf([slow], ['open']);
    const passed = open.run.before(body);
    await jest.advanceTimersByTimeAsync(51);
    await expect(passed).resolves.toMatchObject({ model: 'm' });
    expect(open.run.decisions()).toBe('slow=timeout');
    expect(await counter(open.metrics, 'gateway_guardrail_failures_total')).toContain(
      'gateway_guardrail_failures_total{middleware="slow",kind="timeout"} 1',
    );
  });

  it('a hook that throws follows its fail mode too', async () => {
    const broken: GatewayMiddleware = {
      name: 'broken',
      beforeRequest: () => {
        throw new Error('detector down');
      },
    };
    await expect(runOf([broken], ['closed']).run.before(body)).rejects.toMatchObject({
      code: GatewayErrorCode.GUARDRAIL_UNAVAILABLE,
    });
    const open = runOf([broken], ['open']);
    await expect(open.run.before(body)).resolves.toBeDefined();
    expect(open.run.decisions()).toBe('broken=error');
  });
});

function chunk(content: string | undefined, finish: 'stop' | null = null, index = 0): ChatChunk {
  return {
    id: 'c',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [{ index, delta: content === undefined ? {} : { content }, finish_reason: finish }],
  };
}

function streamOf(chunks: ChatChunk[]): ChatStream {
  return {
    meta: { requestId: 'r' } as ResponseMeta,
    [Symbol.asyncIterator]: async function* () {
      for (const c of chunks) yield await Promise.resolve(c);
    },
  };
}

async function collect(stream: ChatStream): Promise<ChatChunk[]> {
  const out: ChatChunk[] = [];
  for await (const c of stream) out.push(c);
  return out;
}

/** Upper-cases text, holding back a trailing `<` until the next piece. */
const holding: GatewayMiddleware = {
  name: 'holding',
  streamText: () => {
    let held = '';
    return {
      push: (text) => {
        const all = held + text;
        held = all.endsWith('<') ? '<' : '';
        return (held ? all.slice(0, -1) : all).toUpperCase();
      },
      end: () => {
        const rest = held;
        held = '';
        return rest;
      },
    };
  },
};

describe('GuardedStream', () => {
  it('transforms content chunk by chunk, releasing what is held before the finishing chunk', async () => {
    const source = [chunk('ab<'), chunk('cd<'), chunk(undefined, 'stop')];
    const copies = JSON.stringify(source);
    const { run } = runOf([holding]);
    const out = await collect(new GuardedStream(streamOf(source), run));
    expect(
      out.map((c) => c.choices[0]?.delta.content ?? `[${c.choices[0].finish_reason}]`),
    ).toEqual(['AB', '<CD', '<', '[stop]']);
    // The provider's chunks (which the cache assembles) are never modified.
    expect(JSON.stringify(source)).toBe(copies);
  });

  it('text in the finishing chunk goes through the same transform, before the held text and the finish', async () => {
    const { run } = runOf([holding]);
    const out = await collect(
      new GuardedStream(streamOf([chunk('ab<'), chunk('cd<', 'stop')]), run),
    );
    expect(
      out.map((c) => c.choices[0]?.delta.content ?? `[${c.choices[0].finish_reason}]`),
    ).toEqual(['AB', '<CD', '<', '[stop]']);
  });

  it('releases held text at the end of a stream that never finished', async () => {
    const { run } = runOf([holding]);
    const out = await collect(new GuardedStream(streamOf([chunk('x<')]), run));
    expect(out.map((c) => c.choices[0].delta.content).join('')).toBe('X<');
  });

  it('a throwing transform: open passes the text untouched, closed ends the stream with 503', async () => {
    const broken: GatewayMiddleware = {
      name: 'broken',
      streamText: () => ({
        push: () => {
          throw new Error('bad');
        },
        end: () => '',
      }),
    };
    const open = runOf([broken], ['open']);
    const out = await collect(new GuardedStream(streamOf([chunk('a'), chunk('b')]), open.run));
    expect(out.map((c) => c.choices[0].delta.content).join('')).toBe('ab');
    const closed = runOf([broken], ['closed']);
    await expect(
      collect(new GuardedStream(streamOf([chunk('a')]), closed.run)),
    ).rejects.toMatchObject({
      code: GatewayErrorCode.GUARDRAIL_UNAVAILABLE,
    });
  });
});
