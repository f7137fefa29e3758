import { loadGatewayConfig } from '../config/gateway-config.loader';
import type { GatewayConfig } from '../config/gateway-config.schema';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { rateLimitSettingsOf, scopesFor } from './rate-limit-scopes';

function settings(rateLimits: Record<string, unknown>, env: Record<string, string> = {}) {
  return rateLimitSettingsOf(loadGatewayConfig({ config: { rateLimits }, env }));
}

const CONFIG = {
  expectedInstances: 3,
  global: { requestsPerMinute: 10_000, tokensPerMinute: 2_000_000 },
  defaultKey: { requestsPerMinute: 60, failMode: 'closed' },
  defaultUser: { tokensPerMinute: 50_000 },
  defaultTeam: { concurrentRequests: 20 },
  users: { alice: { requestsPerMinute: 600, failMode: 'closed' } },
  teams: { research: { tokensPerMinute: 200_000 } },
  models: { 'gpt-4o': { tokensPerMinute: 30_000 }, fast: { requestsPerMinute: 100 } },
  ip: { requestsPerMinute: 20 },
};

describe('scopesFor', () => {
  const rateLimits = settings(CONFIG);

  it('lists key, user, team, model and global scopes, most specific first', () => {
    expect(
      scopesFor(rateLimits, {
        keyId: 'k1',
        userId: 'bob',
        teamId: 'research',
        model: 'gpt-4o',
        ip: '10.0.0.1',
      }),
    ).toEqual([
      { kind: 'key', id: 'k1', requestsPerMinute: 60, failMode: 'closed' },
      { kind: 'user', id: 'bob', tokensPerMinute: 50_000, failMode: 'open' },
      { kind: 'team', id: 'research', tokensPerMinute: 200_000, failMode: 'open' },
      { kind: 'model', id: 'gpt-4o', tokensPerMinute: 30_000, failMode: 'open' },
      {
        kind: 'global',
        id: '*',
        requestsPerMinute: 10_000,
        tokensPerMinute: 2_000_000,
        failMode: 'open',
      },
    ]);
  });

  it("a key's own limits replace defaultKey as a whole; the policy stays defaultKey's", () => {
    const [key] = scopesFor(rateLimits, {
      keyId: 'k2',
      keyLimits: { tokensPerMinute: 5_000, concurrentRequests: 2 },
      model: 'other',
    });
    expect(key).toEqual({
      kind: 'key',
      id: 'k2',
      tokensPerMinute: 5_000,
      concurrentRequests: 2,
      failMode: 'closed',
    });
  });

  it('an own entry replaces the default of users and teams', () => {
    const scopes = scopesFor(rateLimits, { userId: 'alice', teamId: 'ops', model: 'fast' });
    expect(scopes.slice(0, 3)).toEqual([
      { kind: 'user', id: 'alice', requestsPerMinute: 600, failMode: 'closed' },
      { kind: 'team', id: 'ops', concurrentRequests: 20, failMode: 'open' },
      { kind: 'model', id: 'fast', requestsPerMinute: 100, failMode: 'open' },
    ]);
  });

  it('limits callers without a key by IP, and only them', () => {
    const anonymous = scopesFor(rateLimits, { model: 'x', ip: '203.0.113.9' });
    expect(anonymous.map((s) => `${s.kind}:${s.id}`)).toEqual(['ip:203.0.113.9', 'global:*']);
    const keyed = scopesFor(rateLimits, { keyId: 'k1', model: 'x', ip: '203.0.113.9' });
    expect(keyed.map((s) => s.kind)).toEqual(['key', 'global']);
  });

  it('leaves out scopes without any limit, so an unlimited request needs no store call', () => {
    expect(scopesFor(settings({}), { keyId: 'k', userId: 'u', model: 'm', ip: '::1' })).toEqual([]);
    expect(scopesFor(undefined, { model: 'm' })).toEqual([]);
    expect(
      scopesFor(settings({ users: { u: {} }, defaultUser: { requestsPerMinute: 5 } }), {
        userId: 'u',
        model: 'm',
      }),
    ).toEqual([]);
  });

  it("ignores a key record's null or broken figures and caps huge ones", () => {
    const [key] = scopesFor(settings({}), {
      keyId: 'k',
      keyLimits: {
        requestsPerMinute: null as unknown as number,
        tokensPerMinute: 1e13,
        concurrentRequests: 0,
      },
      model: 'm',
    });
    expect(key).toEqual({
      kind: 'key',
      id: 'k',
      tokensPerMinute: 10_000_000_000,
      failMode: 'open',
    });
  });
});

describe('rateLimits config', () => {
  it('defaults: one instance, fail open, nothing limited', () => {
    const loaded = settings({});
    expect(loaded).toMatchObject({ expectedInstances: 1, failMode: 'open', users: {}, models: {} });
    expect(rateLimitSettingsOf({} as GatewayConfig)).toMatchObject({ expectedInstances: 1 });
  });

  it('reads numbers from environment variables', () => {
    const loaded = settings(
      { expectedInstances: '${INSTANCES}', global: { requestsPerMinute: '${RPM}' } },
      { INSTANCES: '4', RPM: '1200' },
    );
    expect(loaded.expectedInstances).toBe(4);
    expect(loaded.global?.requestsPerMinute).toBe(1_200);
  });

  it('lists every bad key at once', () => {
    const load = () =>
      settings({
        expectedInstances: 0,
        failMode: 'sometimes',
        global: { requestsPerMinute: 1.5, burst: 3 },
        users: { alice: { tokensPerMinute: -1 } },
        models: { m: { failMode: 'never' } },
        teams: 'none',
        extra: true,
      });
    expect(load).toThrow(expect.objectContaining({ code: GatewayErrorCode.INVALID_CONFIG }));
    let message = '';
    try {
      load();
    } catch (error) {
      message = (error as Error).message;
    }
    for (const fragment of [
      'rateLimits.expectedInstances',
      'rateLimits.failMode',
      'rateLimits.global.requestsPerMinute',
      'rateLimits.global.burst: unknown key',
      'rateLimits.users.alice.tokensPerMinute',
      'rateLimits.models.m.failMode',
      'rateLimits.teams',
      'rateLimits.extra: unknown key',
    ]) {
      expect(message).toContain(fragment);
    }
  });
});
