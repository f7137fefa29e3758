import { loadGatewayConfig } from '../config/gateway-config.loader';
import { GatewayConfigService } from '../config/gateway-config.service';
import { createUsageDataSource } from '../database/usage-data-source';
import { UsageDatabase } from '../database/usage-database.service';
import { responseShell } from './responses-output.mapper';
import { parseResponsesRequest } from './responses-request.mapper';
import { StoredResponsesRepository } from './stored-responses.repository';

const DAY_MS = 86_400_000;

/** The embedded store (sql.js in memory), migrated as the gateway does it. */
describe(StoredResponsesRepository.name, () => {
  let database: UsageDatabase;
  let now: number;
  let repository: StoredResponsesRepository;
  const call = parseResponsesRequest({ model: 'm', input: 'remember me' });

  beforeEach(() => {
    now = Date.UTC(2026, 0, 1);
    database = new UsageDatabase(createUsageDataSource({}), { runMigrations: true });
    const config = new GatewayConfigService(
      loadGatewayConfig({ config: { usage: { responsesRetentionDays: 2 } }, env: {} }),
    );
    repository = new StoredResponsesRepository(database, config, { now: () => now });
  });
  afterEach(() => database.close());

  it('keeps the response and its conversation, and reads them back with the owner', async () => {
    const response = {
      ...responseShell('resp_a', call, 'm', now / 1000),
      status: 'completed' as const,
    };
    await repository.save({ response, input: call.input, keyId: 'key-1' });
    expect(await repository.find('resp_a')).toEqual({
      response,
      input: call.input,
      keyId: 'key-1',
    });
    expect(await repository.find('resp_b')).toBeUndefined();
    await repository.remove('resp_a');
    expect(await repository.find('resp_a')).toBeUndefined();
  });

  it('hides a response past its retention and deletes it on the next purge', async () => {
    const response = responseShell('resp_old', call, 'm', now / 1000);
    await repository.save({ response, input: call.input, keyId: null });
    now += 2 * DAY_MS - 1;
    expect(await repository.find('resp_old')).toBeDefined();
    now += 2;
    expect(await repository.find('resp_old')).toBeUndefined();
    expect(await repository.purgeExpired()).toBe(1);
  });
});
