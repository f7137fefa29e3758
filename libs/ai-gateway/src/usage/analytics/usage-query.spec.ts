import { GatewayError } from '../../errors/gateway.error';
import { GatewayErrorCode } from '../../errors/gateway-error-code';
import { encodeUsageCursor, parseUsageCursor } from './usage-cursor';
import {
  MAX_USAGE_SPAN_MS,
  parseUsageRequestsQuery,
  parseUsageSummaryQuery,
  USAGE_DIMENSIONS,
} from './usage-query';

/** 2025-11-22T00:00:00.000Z: the fixed "now" of every case. */
const NOW = 1_763_769_600_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The error a call throws, asserted to be `invalid_request` on `param`. */
function refusal(call: () => unknown, param: string): GatewayError {
  let thrown: unknown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(GatewayError);
  const error = thrown as GatewayError;
  expect(error.code).toBe(GatewayErrorCode.INVALID_REQUEST);
  expect(error.param).toBe(param);
  return error;
}

describe('usage queries', () => {
  describe('the window', () => {
    it.each([
      ['24h', DAY],
      ['7d', 7 * DAY],
      ['30d', 30 * DAY],
    ])('period=%s ends now and starts that long before', (period, span) => {
      expect(parseUsageSummaryQuery({ period }, NOW)).toEqual({
        from: NOW - span,
        to: NOW,
        filters: {},
      });
    });

    it('defaults to the last 24 hours', () => {
      expect(parseUsageSummaryQuery({}, NOW)).toMatchObject({ from: NOW - DAY, to: NOW });
    });

    it('takes from/to as ISO-8601 (dates, zones, fractions), epoch ms or Date', () => {
      expect(
        parseUsageSummaryQuery({ from: '2025-11-01', to: '2025-11-02T12:30+02:00' }, NOW),
      ).toMatchObject({ from: Date.UTC(2025, 10, 1), to: Date.UTC(2025, 10, 2, 10, 30) });
      expect(
        parseUsageSummaryQuery(
          { from: '2025-11-01T00:00:00.123456Z', to: new Date(NOW - HOUR) },
          NOW,
        ),
      ).toMatchObject({ from: Date.UTC(2025, 10, 1) + 123, to: NOW - HOUR });
      expect(parseUsageRequestsQuery({ from: NOW - 5 * HOUR, to: NOW }, NOW)).toMatchObject({
        from: NOW - 5 * HOUR,
        to: NOW,
      });
    });

    it('ends a from without to now', () => {
      expect(parseUsageSummaryQuery({ from: '2025-11-20T00:00:00Z' }, NOW)).toMatchObject({
        from: NOW - 2 * DAY,
        to: NOW,
      });
    });

    it('accepts a span of exactly 366 days and refuses one millisecond more', () => {
      expect(parseUsageSummaryQuery({ from: NOW - MAX_USAGE_SPAN_MS, to: NOW }, NOW).from).toBe(
        NOW - MAX_USAGE_SPAN_MS,
      );
      const error = refusal(
        () => parseUsageSummaryQuery({ from: NOW - MAX_USAGE_SPAN_MS - 1, to: NOW }, NOW),
        'to',
      );
      expect(error.message).toBe("Invalid 'to': at most 366 days after 'from'");
    });

    it('refuses from at or after to', () => {
      refusal(() => parseUsageSummaryQuery({ from: NOW, to: NOW }, NOW), 'from');
      refusal(() => parseUsageSummaryQuery({ from: '2025-11-03', to: '2025-11-02' }, NOW), 'from');
    });

    it('refuses period together with from or to', () => {
      const error = refusal(
        () => parseUsageSummaryQuery({ period: '24h', from: '2025-11-01' }, NOW),
        'period',
      );
      expect(error.message).toContain("either 'period' or 'from'/'to'");
      refusal(() => parseUsageSummaryQuery({ period: '24h', to: '2025-11-01' }, NOW), 'period');
    });

    it('refuses to without from', () => {
      refusal(() => parseUsageSummaryQuery({ to: '2025-11-01' }, NOW), 'from');
    });

    it.each(['1H', '24H', '', '7', '30days', '2h'])('refuses period=%j', (period) => {
      const error = refusal(() => parseUsageSummaryQuery({ period }, NOW), 'period');
      expect(error.message).toBe("Invalid 'period': use one of 1h, 24h, 7d, 30d");
    });

    it('period=1h is the last hour', () => {
      expect(parseUsageSummaryQuery({ period: '1h' }, NOW)).toMatchObject({
        from: NOW - 3_600_000,
        to: NOW,
      });
    });

    it.each([
      ['not a date', 'yesterday'],
      ['a time without a zone', '2025-11-01T10:00:00'],
      ['a day that does not exist', '2025-02-30'],
      ['an hour past 23', '2025-11-01T24:00:00Z'],
      ['a minute past 59', '2025-11-01T10:60Z'],
      ['a fractional epoch', 1.5],
      ['a negative epoch', -1],
      ['an invalid Date', new Date(Number.NaN)],
      ['a boolean', true],
    ])('refuses from as %s', (_label, from) => {
      const error = refusal(() => parseUsageSummaryQuery({ from, to: NOW }, NOW), 'from');
      expect(error.message).toBe("Invalid 'from': an ISO-8601 time such as 2025-01-31T00:00:00Z");
    });

    it('refuses a malformed to', () => {
      refusal(() => parseUsageSummaryQuery({ from: '2025-11-01', to: '11/02/2025' }, NOW), 'to');
    });
  });

  describe('groupBy and filters', () => {
    it.each(USAGE_DIMENSIONS.map((d) => [d]))('groups by %s', (groupBy) => {
      expect(parseUsageSummaryQuery({ groupBy }, NOW).groupBy).toBe(groupBy);
    });

    it('has no groupBy unless asked (one overall bucket)', () => {
      expect(parseUsageSummaryQuery({ period: '7d' }, NOW)).not.toHaveProperty('groupBy');
    });

    it.each(['', 'users', 'PROVIDER', 'created_at'])('refuses groupBy=%j', (groupBy) => {
      const error = refusal(() => parseUsageSummaryQuery({ groupBy }, NOW), 'groupBy');
      expect(error.message).toBe(
        "Invalid 'groupBy': use time or one of provider, model, user, team, key, route, task, ingress, status, cache",
      );
    });

    it('groupBy=time takes a named interval, or picks one for the window', () => {
      expect(parseUsageSummaryQuery({ groupBy: 'time', interval: '5m' }, NOW)).toMatchObject({
        groupBy: 'time',
        interval: { name: '5m', ms: 300_000 },
      });
      expect(parseUsageSummaryQuery({ groupBy: 'time', period: '7d' }, NOW).interval).toEqual({
        name: '1h',
        ms: 3_600_000,
      });
    });

    it.each(['2m', '1M', '', '60000', '1 h'])('refuses interval=%j', (interval) => {
      const error = refusal(
        () => parseUsageSummaryQuery({ groupBy: 'time', interval }, NOW),
        'interval',
      );
      expect(error.message).toBe("Invalid 'interval': use one of 1m, 5m, 15m, 1h, 6h, 1d");
    });

    it('refuses an interval without groupBy=time, and one making too many buckets', () => {
      refusal(() => parseUsageSummaryQuery({ interval: '1h' }, NOW), 'interval');
      refusal(() => parseUsageSummaryQuery({ groupBy: 'model', interval: '1h' }, NOW), 'interval');
      const error = refusal(
        () =>
          parseUsageSummaryQuery(
            { groupBy: 'time', interval: '1m', from: NOW - 30 * 86_400_000, to: NOW },
            NOW,
          ),
        'interval',
      );
      expect(error.message).toContain('more than 10000 buckets');
    });

    it('collects every filter, on both endpoints', () => {
      const filters = Object.fromEntries(USAGE_DIMENSIONS.map((d) => [d, `${d}-value`]));
      expect(parseUsageSummaryQuery(filters, NOW).filters).toEqual(filters);
      expect(parseUsageRequestsQuery(filters, NOW).filters).toEqual(filters);
    });

    it.each([
      ['empty', ''],
      ['too long', 'x'.repeat(257)],
      ['not a string', 42],
      ['carrying a NUL (PostgreSQL refuses it: a 500 before)', 'a\u0000b'],
      ['carrying a control character', 'a\u001bb'],
    ])('refuses a filter that is %s', (_label, value) => {
      const error = refusal(() => parseUsageSummaryQuery({ user: value }, NOW), 'user');
      expect(error.message).toBe(
        "Invalid 'user': a non-empty string of at most 256 characters, without control characters",
      );
    });

    it('keeps a filter of 256 characters', () => {
      expect(parseUsageSummaryQuery({ model: 'm'.repeat(256) }, NOW).filters.model).toHaveLength(
        256,
      );
    });

    it('ignores parameters given as undefined (typed library input)', () => {
      expect(parseUsageSummaryQuery({ user: undefined, groupBy: undefined }, NOW)).toEqual({
        from: NOW - DAY,
        to: NOW,
        filters: {},
      });
    });

    it('refuses unknown parameters, naming them', () => {
      const error = refusal(() => parseUsageSummaryQuery({ provder: 'openai' }, NOW), 'provder');
      expect(error.message).toContain("Unknown parameter 'provder'");
      // Each endpoint takes only its own parameters.
      refusal(() => parseUsageSummaryQuery({ limit: '10' }, NOW), 'limit');
      refusal(() => parseUsageRequestsQuery({ groupBy: 'user' }, NOW), 'groupBy');
    });

    it('refuses a parameter repeated in the query string', () => {
      const error = refusal(() => parseUsageSummaryQuery({ user: ['a', 'b'] }, NOW), 'user');
      expect(error.message).toBe("Invalid 'user': give it once");
    });

    it('refuses something that is not an object of parameters', () => {
      expect(() => parseUsageSummaryQuery(null as never, NOW)).toThrow(GatewayError);
    });
  });

  describe('paging', () => {
    it('defaults to 100 rows a page and no cursor', () => {
      const query = parseUsageRequestsQuery({}, NOW);
      expect(query.limit).toBe(100);
      expect(query).not.toHaveProperty('cursor');
    });

    it.each([
      ['1', 1],
      ['1000', 1_000],
      [7, 7],
    ])('takes limit=%j', (limit, expected) => {
      expect(parseUsageRequestsQuery({ limit }, NOW).limit).toBe(expected);
    });

    it.each(['0', '1001', '-1', '1.5', '10abc', '', ' 5', '1e2', 0, 1_001, 2.5])(
      'refuses limit=%j',
      (limit) => {
        const error = refusal(() => parseUsageRequestsQuery({ limit }, NOW), 'limit');
        expect(error.message).toBe("Invalid 'limit': a whole number from 1 to 1000");
      },
    );

    it('round-trips a cursor, request ids with any characters included', () => {
      for (const cursor of [
        { createdAt: NOW, requestId: 'req-1' },
        { createdAt: 0, requestId: 'a:b,"c"\\ 🚀' },
      ]) {
        const text = encodeUsageCursor(cursor);
        expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(parseUsageCursor(text)).toEqual(cursor);
        expect(parseUsageRequestsQuery({ cursor: text }, NOW).cursor).toEqual(cursor);
      }
    });

    const encoded = (value: unknown): string =>
      Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
    it.each([
      ['empty', ''],
      ['not base64url', 'abc+/='],
      ['not JSON', Buffer.from('nope').toString('base64url')],
      ['an object', encoded({ createdAt: NOW, requestId: 'r' })],
      ['three items', encoded([NOW, 'r', 1])],
      ['a text time', encoded([String(NOW), 'r'])],
      ['a negative time', encoded([-1, 'r'])],
      ['a fractional time', encoded([1.5, 'r'])],
      ['an empty request id', encoded([NOW, ''])],
      ['a request id over 128 characters', encoded([NOW, 'r'.repeat(129)])],
      ['a time past year 9999 (a database error: 500 before)', encoded([1e15, 'r'])],
      ['a request id with a NUL (a database error: 500 before)', encoded([NOW, 'a\u0000b'])],
      ['a number', 12],
    ])('refuses a cursor that is %s', (_label, cursor) => {
      const error = refusal(() => parseUsageRequestsQuery({ cursor }, NOW), 'cursor');
      expect(error.message).toBe(
        "Invalid 'cursor': pass the nextCursor of the previous page as is",
      );
    });
  });
});
