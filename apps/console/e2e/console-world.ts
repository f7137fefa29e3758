import type { ConsoleGateway } from './console-gateway';
import { startConsoleGateway } from './console-gateway';
import type { LoadResult } from './load';
import { runScriptedLoad } from './load';

/** What a spec file's tests share: the gateway and, after the scripted load, what it made. */
export interface ConsoleWorld {
  readonly gateway: ConsoleGateway;
  readonly load: LoadResult;
}

/**
 * Registers, in the calling `describe`, a gateway started before all tests (and the
 * scripted load run against it) and stopped after all. Read its fields inside tests.
 */
export function useConsoleWorld(): ConsoleWorld {
  let gateway: ConsoleGateway | undefined;
  let load: LoadResult | undefined;
  beforeAll(async () => {
    gateway = await startConsoleGateway();
    load = await runScriptedLoad(gateway);
  }, 90_000);
  afterAll(async () => {
    await gateway?.stop();
  });
  return {
    get gateway() {
      if (!gateway) throw new Error('the gateway did not start (see beforeAll)');
      return gateway;
    },
    get load() {
      if (!load) throw new Error('the scripted load did not run (see beforeAll)');
      return load;
    },
  };
}
