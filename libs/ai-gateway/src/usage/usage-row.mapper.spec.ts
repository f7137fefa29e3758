import type { ResponseMeta } from '../shared/call-result';
import {
  MAX_PROMPT_TEXT,
  fallbackChainOf,
  sanitizeUsageRow,
  usageRowFromMeta,
} from './usage-row.mapper';
import { usageRow } from './usage.fixtures';

const META: ResponseMeta = {
  requestId: 'req-42',
  provider: 'backup',
  model: 'b-model',
  route: 'smart',
  fake: false,
  attempts: [
    { provider: 'primary', model: 'p-model', outcome: 'skipped:budget', latencyMs: 0, retry: 0 },
    { provider: 'second', model: 's-model', outcome: 'rate_limited', latencyMs: 12, retry: 0 },
    { provider: 'backup', model: 'b-model', outcome: 'ok', latencyMs: 80, retry: 0 },
  ],
  latencyMs: 95,
  ttftMs: 30,
  usage: { prompt: 120, completion: 40, cached: 100, reasoning: 12 },
  completed: true,
  guardrails: 'pii_scrubber=masked:2',
};

describe('usageRowFromMeta', () => {
  it('takes tokens, timings, route and the decision trace from the meta', () => {
    const row = usageRowFromMeta(META, {
      createdAt: 1_000,
      status: 'ok',
      stream: true,
      userId: 'alice',
      teamId: 'research',
      keyId: 'key_1',
      ingress: 'responses',
      cacheStatus: 'miss',
      costMicroUsd: 1_234,
      priced: true,
      priceSource: 'pricing-file',
      budgetNote: 'primary skipped: daily cap reached',
    });
    expect(row).toEqual({
      requestId: 'req-42',
      clientRequestId: null,
      createdAt: 1_000,
      keyId: 'key_1',
      userId: 'alice',
      teamId: 'research',
      task: null,
      ingress: 'responses',
      route: 'smart',
      provider: 'backup',
      model: 'b-model',
      promptTokens: 120,
      completionTokens: 40,
      cachedTokens: 100,
      reasoningTokens: 12,
      costMicroUsd: 1_234,
      costSavedMicroUsd: 0,
      priced: true,
      priceSource: 'pricing-file',
      latencyMs: 95,
      ttftMs: 30,
      status: 'ok',
      errorCode: null,
      cacheStatus: 'miss',
      attempts: 2,
      fallbackChain:
        'primary/p-model=skipped:budget, second/s-model=rate_limited, backup/b-model=ok',
      stream: true,
      streamCompleted: true,
      budgetNote: 'primary skipped: daily cap reached',
      promptText: null,
      guardrails: 'pii_scrubber=masked:2',
    });
  });

  it('records a request refused before routing: no provider, unpriced, the error as status', () => {
    const row = usageRowFromMeta(undefined, {
      requestId: 'req-9',
      createdAt: 5,
      status: 'budget_exceeded',
      stream: false,
    });
    expect(row).toMatchObject({
      requestId: 'req-9',
      provider: null,
      model: null,
      attempts: 0,
      fallbackChain: null,
      status: 'budget_exceeded',
      errorCode: 'budget_exceeded',
      costMicroUsd: null,
      priced: false,
      streamCompleted: null,
    });
  });

  it('formats the chain like x-gateway-trace', () => {
    expect(fallbackChainOf(META.attempts.slice(1))).toBe(
      'second/s-model=rate_limited, backup/b-model=ok',
    );
  });
});

describe('sanitizeUsageRow', () => {
  it('keeps a good row as it is', () => {
    expect(sanitizeUsageRow(usageRow(1), 0)).toEqual(usageRow(1));
  });

  it('keeps prompt text (logging.logPrompts) with its newlines, NUL replaced, cut to size', () => {
    const row = usageRow(1, { promptText: 'line 1\nline\t2\u0000end' });
    expect(sanitizeUsageRow(row, 0)?.promptText).toBe('line 1\nline\t2\ufffdend');
    const long = usageRow(2, { promptText: 'x'.repeat(MAX_PROMPT_TEXT + 10) });
    expect(sanitizeUsageRow(long, 0)?.promptText).toHaveLength(MAX_PROMPT_TEXT);
    expect(sanitizeUsageRow(usageRow(3, { promptText: '' }), 0)?.promptText).toBeNull();
    expect(sanitizeUsageRow(usageRow(4), 0)?.promptText).toBeNull();
  });

  it('turns control characters in labels into U+FFFD (a NUL used to drop the row)', () => {
    const row = sanitizeUsageRow(
      usageRow(1, { userId: 'a\u0000b', model: 'any/\u0007x', clientRequestId: 'c\u0000' }),
      0,
    );
    expect(row).toMatchObject({
      userId: 'a\ufffdb',
      model: 'any/\ufffdx',
      clientRequestId: 'c\ufffd',
    });
  });

  it('turns bad numbers into int4 values and a missing time into now', () => {
    const row = sanitizeUsageRow(
      usageRow(1, {
        createdAt: Number.NaN,
        promptTokens: -5,
        completionTokens: 1e12,
        latencyMs: 12.7,
        costMicroUsd: Number.POSITIVE_INFINITY,
        costSavedMicroUsd: -3.4,
      }),
      777,
    );
    expect(row).toMatchObject({
      createdAt: 777,
      promptTokens: 0,
      completionTokens: 2_147_483_647,
      latencyMs: 13,
      costMicroUsd: null,
      costSavedMicroUsd: 0,
    });
  });

  it('refuses a row without request id and cuts over-long ones', () => {
    expect(sanitizeUsageRow(usageRow(1, { requestId: '' }), 0)).toBeUndefined();
    expect(
      sanitizeUsageRow(usageRow(1, { requestId: 'r'.repeat(500) }), 0)?.requestId,
    ).toHaveLength(128);
  });
});
