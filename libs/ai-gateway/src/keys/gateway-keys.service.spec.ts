import { Logger } from '@nestjs/common';
import { loadGatewayConfig } from '../config/gateway-config.loader';
import { GatewayConfigService } from '../config/gateway-config.service';
import type { GatewayKeyEntity } from '../database/gateway-key.entity';
import type { GatewayKeyRepository } from './gateway-key.repository';
import { GatewayKeys } from './gateway-keys.service';

/** The repository's contract over a Map, with a switch to make the store unreachable. */
class MapKeyRepository {
  readonly rows = new Map<string, GatewayKeyEntity>();
  down = false;
  lookups = 0;
  readonly volatile = false;

  insert(entity: GatewayKeyEntity): Promise<void> {
    return this.run(() => void this.rows.set(entity.id, { ...entity }));
  }
  save(entity: GatewayKeyEntity): Promise<void> {
    return this.run(() => void this.rows.set(entity.id, { ...entity }));
  }
  findById(id: string): Promise<GatewayKeyEntity | undefined> {
    return this.run(() => this.rows.get(id));
  }
  findByHash(hash: string): Promise<GatewayKeyEntity | undefined> {
    this.lookups++;
    return this.run(() => [...this.rows.values()].find((r) => r.secretHash === hash));
  }
  list(): Promise<GatewayKeyEntity[]> {
    return this.run(() => [...this.rows.values()]);
  }
  private run<T>(work: () => T): Promise<T> {
    return this.down ? Promise.reject(new Error('connection refused')) : Promise.resolve(work());
  }
}

describe(GatewayKeys.name, () => {
  let now: number;
  let repository: MapKeyRepository;
  let keys: GatewayKeys;

  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  beforeEach(() => {
    now = Date.UTC(2026, 10, 21, 12);
    repository = new MapKeyRepository();
    const config = new GatewayConfigService(
      loadGatewayConfig({
        config: {
          auth: {
            enabled: true,
            adminKey: 'the-admin-key-0123456789',
            hashSecret: 'the-hash-secret-0123456789',
            cacheTtlMs: 10_000,
          },
        },
      }),
    );
    keys = new GatewayKeys(config, repository as unknown as GatewayKeyRepository, {
      now: () => now,
    });
  });

  it('stores a keyed hash (never the secret) and recognises the secret', async () => {
    const { key, secret } = await keys.create({ name: 'a', userId: 'u1', teamId: 't1' });
    const stored = repository.rows.get(key.id);
    expect(stored?.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(secret.slice(3));
    expect(await keys.check(secret)).toEqual({
      status: 'ok',
      key: { id: key.id, userId: 'u1', teamId: 't1' },
    });
  });

  it('refuses what is not one of its keys without a lookup when the shape is wrong', async () => {
    expect(await keys.check('sk-something-else')).toEqual({ status: 'invalid' });
    expect(repository.lookups).toBe(0);
    expect(await keys.check('gk_unknown')).toEqual({ status: 'invalid' });
    expect(repository.lookups).toBe(1);
  });

  it('answers from memory within the cache TTL, and looks up again after it', async () => {
    const { secret } = await keys.create({ name: 'a' });
    await keys.check(secret);
    await keys.check(secret);
    expect(repository.lookups).toBe(1);
    now += 10_001;
    await keys.check(secret);
    expect(repository.lookups).toBe(2);
  });

  it('a disabled key is refused at once on this instance; rotation retires the old secret', async () => {
    const { key, secret } = await keys.create({ name: 'a' });
    expect((await keys.check(secret)).status).toBe('ok');
    await keys.disable(key.id);
    expect((await keys.check(secret)).status).toBe('disabled');
    await keys.enable(key.id);
    const rotated = await keys.rotate(key.id);
    expect((await keys.check(secret)).status).toBe('invalid');
    expect((await keys.check(rotated.secret)).status).toBe('ok');
  });

  it('an expiry passes while the key sits in the cache', async () => {
    const { secret } = await keys.create({
      name: 'a',
      expiresAt: new Date(now + 5_000).toISOString(),
    });
    expect((await keys.check(secret)).status).toBe('ok');
    now += 5_000;
    expect((await keys.check(secret)).status).toBe('expired');
  });

  it('store down: a cached key keeps working (even past its TTL), an unknown one is unavailable', async () => {
    const { secret } = await keys.create({ name: 'a' });
    await keys.check(secret);
    repository.down = true;
    now += 60_000;
    expect((await keys.check(secret)).status).toBe('ok');
    expect(await keys.check('gk_never-seen-before')).toEqual({ status: 'unavailable' });
  });

  it('compares the admin key in full', () => {
    expect(keys.isAdminKey('the-admin-key-0123456789')).toBe(true);
    expect(keys.isAdminKey('the-admin-key-012345678')).toBe(false);
    expect(keys.isAdminKey('the-admin-key-01234567890')).toBe(false);
    expect(keys.isAdminKey(undefined)).toBe(false);
  });

  it('updates scope, budget and expiry; an unknown id is not_found', async () => {
    const { key, secret } = await keys.create({ name: 'a' });
    await keys.check(secret);
    const view = await keys.update(key.id, {
      allowedModels: ['fast'],
      budget: { dailyUsd: 5 },
    });
    expect(view).toMatchObject({ allowedModels: ['fast'], budget: { dailyUsd: 5 } });
    expect(await keys.check(secret)).toMatchObject({
      key: { allowedModels: ['fast'], budget: { dailyUsd: 5 } },
    });
    await expect(keys.get('key_missing')).rejects.toMatchObject({ code: 'not_found' });
  });

  describe('issue 13: multi-user keys and admin inputs', () => {
    it('stores multiUser (default false) and hands it to the check only when set', async () => {
      const plain = await keys.create({ name: 'a' });
      expect(plain.key.multiUser).toBe(false);
      expect(await keys.check(plain.secret)).toEqual({ status: 'ok', key: { id: plain.key.id } });
      const backend = await keys.create({ name: 'b', multiUser: true });
      expect(backend.key.multiUser).toBe(true);
      expect(await keys.check(backend.secret)).toMatchObject({ key: { multiUser: true } });
      const view = await keys.update(backend.key.id, { multiUser: false });
      expect(view.multiUser).toBe(false);
      expect(await keys.check(backend.secret)).toEqual({
        status: 'ok',
        key: { id: backend.key.id },
      });
    });

    it('a PATCH null clears a nullable field: no expiry rather than 1970', async () => {
      const { key, secret } = await keys.create({
        name: 'a',
        userId: 'u1',
        allowedModels: ['fast'],
        budget: { dailyUsd: 1 },
        expiresAt: new Date(now + 60_000).toISOString(),
      });
      const view = await keys.update(key.id, {
        userId: null,
        allowedModels: null,
        budget: null,
        expiresAt: null,
      });
      expect(view).toMatchObject({ userId: null, allowedModels: null, budget: null });
      expect(view.expiresAt).toBeNull();
      expect(await keys.check(secret)).toEqual({ status: 'ok', key: { id: key.id } });
    });

    it('an id that is not one of ours is not_found without a store lookup', async () => {
      const findById = jest.spyOn(repository, 'findById');
      for (const id of ['key_\u0000', 'x'.repeat(10_000), "key_1' OR 1=1", '']) {
        await expect(keys.get(id)).rejects.toMatchObject({ code: 'not_found' });
        await expect(keys.update(id, { name: 'n' })).rejects.toMatchObject({ code: 'not_found' });
      }
      expect(findById).not.toHaveBeenCalled();
    });
  });
});
