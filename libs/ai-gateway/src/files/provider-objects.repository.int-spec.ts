import { randomBytes } from 'node:crypto';
import { createUsageDataSource } from '../database/usage-data-source';
import { UsageDatabase } from '../database/usage-database.service';
import { dropSchema, TEST_DATABASE_URL } from '../usage/usage.fixtures';
import { ProviderObjectsRepository } from './provider-objects.repository';

/** The same contract on both stores the gateway runs on. */
describe.each([
  ['PostgreSQL', true],
  ['sql.js', false],
])(`${ProviderObjectsRepository.name} on %s`, (_name, postgres) => {
  let schema: string;
  let database: UsageDatabase;
  let objects: ProviderObjectsRepository;

  beforeEach(() => {
    schema = `objects_test_${randomBytes(6).toString('hex')}`;
    const location = postgres ? { databaseUrl: TEST_DATABASE_URL, schema } : {};
    database = new UsageDatabase(createUsageDataSource(location), { runMigrations: true });
    objects = new ProviderObjectsRepository(database);
  });
  afterEach(async () => {
    await database.close();
    if (postgres) await dropSchema(schema);
  });

  const file = (id: string, keyId: string | null, createdAt: number, purpose = 'batch') => ({
    id,
    kind: 'file' as const,
    provider: 'openai',
    keyId,
    userId: keyId === 'key_1' ? 'alice' : null,
    teamId: null,
    createdAt,
    object: { id, object: 'file', purpose },
  });

  it('keeps who owns what and where, and the last-seen object', async () => {
    await objects.save(file('file-a', 'key_1', 1_000));
    expect(await objects.find('file-a', 'file')).toEqual({
      ...file('file-a', 'key_1', 1_000),
      accounted: false,
    });
    expect(await objects.find('file-a', 'batch')).toBeUndefined();
    await objects.update('file-a', { id: 'file-a', status: 'processed' });
    expect((await objects.find('file-a', 'file'))?.object).toEqual({
      id: 'file-a',
      status: 'processed',
    });
    // An id recorded for one key is never taken over by another.
    await expect(objects.save(file('file-a', 'key_2', 3_000))).rejects.toMatchObject({
      code: 'server_error',
    });
    expect((await objects.find('file-a', 'file'))?.keyId).toBe('key_1');
    // Adopting a known object changes nothing.
    await objects.adopt(file('file-a', 'key_2', 2_000));
    expect((await objects.find('file-a', 'file'))?.keyId).toBe('key_1');
    await objects.remove('file-a');
    expect(await objects.find('file-a', 'file')).toBeUndefined();
  });

  it("lists one key's objects in pages, newest first or oldest first, with a filter", async () => {
    for (let i = 1; i <= 5; i++) {
      await objects.save(file(`file-${i}`, 'key_1', i * 1_000, i % 2 ? 'batch' : 'assistants'));
    }
    await objects.save(file('file-other', 'key_2', 9_000));
    await objects.save(file('file-open', null, 9_500));
    const ids = (page: { data: Array<{ id: string }> }) => page.data.map((o) => o.id);
    const first = await objects.list('file', 'key_1', { limit: 2, order: 'desc' });
    expect(ids(first)).toEqual(['file-5', 'file-4']);
    expect(first.hasMore).toBe(true);
    const second = await objects.list('file', 'key_1', {
      limit: 2,
      order: 'desc',
      after: 'file-4',
    });
    expect(ids(second)).toEqual(['file-3', 'file-2']);
    const last = await objects.list('file', 'key_1', { limit: 2, order: 'desc', after: 'file-2' });
    expect(ids(last)).toEqual(['file-1']);
    expect(last.hasMore).toBe(false);
    expect(ids(await objects.list('file', 'key_1', { limit: 10, order: 'asc' }))).toEqual([
      'file-1',
      'file-2',
      'file-3',
      'file-4',
      'file-5',
    ]);
    const batches = await objects.list(
      'file',
      'key_1',
      { limit: 10, order: 'desc' },
      (o) => o.purpose === 'batch',
    );
    expect(ids(batches)).toEqual(['file-5', 'file-3', 'file-1']);
    // Without auth every object is the null key's, and only those.
    expect(ids(await objects.list('file', null, { limit: 10, order: 'desc' }))).toEqual([
      'file-open',
    ]);
    // Another key's id as a cursor names no place in this key's list.
    expect(
      ids(await objects.list('file', 'key_1', { limit: 1, order: 'desc', after: 'file-other' })),
    ).toEqual([]);
    // A filtered page reads on until it is full, and says when more match.
    const onePerPage = await objects.list(
      'file',
      'key_1',
      { limit: 1, order: 'desc', after: 'file-5' },
      (o) => o.purpose === 'batch',
    );
    expect(ids(onePerPage)).toEqual(['file-3']);
    expect(onePerPage.hasMore).toBe(true);
  });

  it('lists objects made in the same millisecond one by one, none skipped', async () => {
    for (const id of ['file-b', 'file-a', 'file-c']) await objects.save(file(id, 'key_1', 5_000));
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 5; page++) {
      const { data, hasMore } = await objects.list('file', 'key_1', {
        limit: 1,
        order: 'asc',
        after,
      });
      seen.push(...data.map((o) => o.id));
      if (!hasMore) break;
      after = data.at(-1)?.id;
    }
    expect(seen).toEqual(['file-a', 'file-b', 'file-c']);
  });

  it('marks a batch accounted once, for the one caller that flips it', async () => {
    await objects.save({ ...file('batch_1', 'key_1', 1_000), kind: 'batch' });
    const flips = await Promise.all([1, 2, 3].map(() => objects.markAccounted('batch_1')));
    expect(flips.filter(Boolean)).toHaveLength(1);
    expect((await objects.find('batch_1', 'batch'))?.accounted).toBe(true);
  });
});
