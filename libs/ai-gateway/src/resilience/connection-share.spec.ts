import { ConnectionShare, callerConnectionLimit } from './connection-share';

describe(ConnectionShare.name, () => {
  it('defaults to a quarter of the pool, at least one call; an explicit setting wins', () => {
    expect(callerConnectionLimit({ maxConnections: 256 })).toBe(64);
    expect(callerConnectionLimit({ maxConnections: 3 })).toBe(1);
    expect(callerConnectionLimit({ maxConnections: 256, maxConnectionsPerCaller: 10 })).toBe(10);
  });

  it('caps one caller per provider and gives slots back once, on release', () => {
    const share = new ConnectionShare();
    const first = share.tryTake('up', 'key-a', 2);
    const second = share.tryTake('up', 'key-a', 2);
    expect(first && second).toBeDefined();
    expect(share.tryTake('up', 'key-a', 2)).toBeUndefined();
    // Other callers and other providers are not affected.
    expect(share.tryTake('up', 'key-b', 2)).toBeDefined();
    expect(share.tryTake('other', 'key-a', 2)).toBeDefined();
    first!();
    first!(); // a second release is a no-op
    expect(share.inFlight('up', 'key-a')).toBe(1);
    expect(share.tryTake('up', 'key-a', 2)).toBeDefined();
    expect(share.tryTake('up', 'key-a', 2)).toBeUndefined();
  });
});
