import { trace } from '@opentelemetry/api';
import { Writable } from 'node:stream';
import { JsonLogger, createPino } from './json-logger';
import { requestContext } from './request-context';

/** A logger writing into an array of parsed lines. */
function capture(): { logger: JsonLogger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const pino = createPino('info', { service: 'test', destination: sink });
  return { logger: new JsonLogger(pino), lines };
}

describe('JsonLogger', () => {
  it("a line written inside a request's scope carries its id; outside, none", async () => {
    const { logger, lines } = capture();
    logger.log({ msg: 'outside' });
    await requestContext.run({ requestId: 'req-7' }, async () => {
      await Promise.resolve();
      logger.warn({ msg: 'inside, after an await' }, 'Cache');
      logger.error(new Error('failed'));
    });
    expect(lines.map((l) => [l.msg, l.requestId])).toEqual([
      ['outside', undefined],
      ['inside, after an await', 'req-7'],
      ['failed', 'req-7'],
    ]);
    expect(lines[1]).toMatchObject({ level: 'warn', context: 'Cache', service: 'test' });
  });

  it("adds the trace and span ids of a traced request; a line's own requestId wins", () => {
    const { logger, lines } = capture();
    const span = trace.wrapSpanContext({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
    });
    requestContext.run({ requestId: 'req-8', span }, () => {
      logger.log({ msg: 'traced' });
      logger.log({ msg: 'named', requestId: 'another' });
    });
    expect(lines[0]).toMatchObject({
      requestId: 'req-8',
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
    });
    expect(lines[1].requestId).toBe('another');
  });

  it('redacts key fields wherever they appear', () => {
    const { logger, lines } = capture();
    logger.log({ msg: 'keys', apiKey: 'sk-secret', headers: { authorization: 'Bearer sk-x' } });
    expect(JSON.stringify(lines[0])).not.toContain('sk-');
  });
});
