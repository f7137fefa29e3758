import { GatewayError } from '@ai-gateway/core';
import { cacheDirectivesOf } from './call-options';

describe('cacheDirectivesOf', () => {
  it('reads Cache-Control: no-cache, no-store, max-age, ignoring other directives', () => {
    expect(cacheDirectivesOf(undefined, undefined)).toBeUndefined();
    expect(cacheDirectivesOf('private, must-revalidate', undefined)).toBeUndefined();
    expect(cacheDirectivesOf('no-cache', undefined)).toEqual({ mode: 'refresh' });
    expect(cacheDirectivesOf('No-Store, max-age=60', undefined)).toEqual({
      noStore: true,
      maxAgeSeconds: 60,
    });
    expect(cacheDirectivesOf(['max-age="0"', 'no-cache'], undefined)).toEqual({
      maxAgeSeconds: 0,
      mode: 'refresh',
    });
  });

  it('reads x-gateway-cache: skip wins over a refresh', () => {
    expect(cacheDirectivesOf(undefined, 'skip')).toEqual({ mode: 'skip' });
    expect(cacheDirectivesOf(undefined, ' Refresh ')).toEqual({ mode: 'refresh' });
    expect(cacheDirectivesOf('no-cache', 'skip')).toEqual({ mode: 'skip' });
    expect(cacheDirectivesOf('no-store', 'refresh')).toEqual({ noStore: true, mode: 'refresh' });
  });

  it('refuses malformed values with an invalid-request error naming the header', () => {
    for (const [control, gateway, header] of [
      ['max-age=-1', undefined, 'cache-control'],
      ['max-age=1.5', undefined, 'cache-control'],
      ['max-age', undefined, 'cache-control'],
      [undefined, 'always', 'x-gateway-cache'],
    ] as const) {
      let caught: unknown;
      try {
        cacheDirectivesOf(control, gateway);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(GatewayError);
      expect((caught as GatewayError).message).toContain(header);
    }
  });
});
