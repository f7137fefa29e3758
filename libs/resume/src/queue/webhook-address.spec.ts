import { WebhookAddressPolicy, classifyAddress, normalizeAddress } from './webhook-address';

const closed = new WebhookAddressPolicy({ allowedHosts: [], allowPrivateNetworks: false });

/** The issue's 13 webhook hosts that reached the gateway's own networks (issue 13, item 9). */
const ISSUE_EXAMPLES = [
  'http://127.0.0.1/hook',
  'http://localhost/hook',
  'http://[::1]/hook',
  'http://0x7f000001/hook',
  'http://2130706433/hook',
  'http://127.1/hook',
  'http://0.0.0.0/hook',
  'http://169.254.169.254/latest/meta-data/',
  'http://metadata.google.internal/computeMetadata/v1/',
  'http://10.0.0.1/hook',
  'http://192.168.1.1/hook',
  'http://127.0.0.1:6379/',
  // The 13th: Redis again, through an IPv4-mapped IPv6 literal.
  'http://[::ffff:127.0.0.1]:6379/',
];

describe(classifyAddress.name, () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.1.2', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0x7f000001', 'loopback'],
    ['2130706433', 'loopback'],
    ['127.1', 'loopback'],
    ['0177.0.0.1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['0:0:0:0:0:ffff:7f00:1', 'loopback'],
    ['::127.0.0.1', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['0', 'unspecified'],
    ['::', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['::ffff:10.1.2.3', 'private'],
    ['64:ff9b::10.1.2.3', 'private'],
    ['2002:c0a8:101::1', 'private'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.254', 'cgnat'],
    ['169.254.0.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['169.254.169.254', 'metadata'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['not-an-address', 'reserved'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
  ])('%s is public', (address) => {
    expect(classifyAddress(address)).toBe('public');
  });
});

describe(normalizeAddress.name, () => {
  it('turns odd IPv4 forms into dotted quads, and leaves names alone', () => {
    expect(['0x7f000001', '2130706433', '127.1', '0177.0.0.1'].map(normalizeAddress)).toEqual(
      Array(4).fill('127.0.0.1'),
    );
    expect(normalizeAddress('[0:0:0:0:0:ffff:a9fe:a9fe]')).toBe('::ffff:a9fe:a9fe');
    expect(normalizeAddress('hooks.example.com')).toBeUndefined();
  });
});

describe(WebhookAddressPolicy.name, () => {
  it.each(ISSUE_EXAMPLES)('refuses %s before any lookup', (url) => {
    expect(closed.refusalOfHost(new URL(url).hostname)).toEqual(expect.any(String));
  });

  it('lets public literals and ordinary names through (names are checked once resolved)', () => {
    expect(closed.refusalOfHost('93.184.216.34')).toBeUndefined();
    expect(closed.refusalOfHost('[2606:4700:4700::1111]')).toBeUndefined();
    expect(closed.refusalOfHost('hooks.example.com')).toBeUndefined();
    expect(closed.refusalOfAddress('93.184.216.34')).toBeUndefined();
  });

  it('refuses names that always mean this machine, with or without a trailing dot', () => {
    for (const host of ['LOCALHOST.', 'api.localhost', 'metadata.google.internal.']) {
      expect(closed.refusalOfHost(host)).toEqual(expect.any(String));
    }
  });

  it('opens exactly what the allow-list names: addresses, CIDR ranges and host names', () => {
    const policy = new WebhookAddressPolicy({
      allowedHosts: ['127.0.0.1', '10.20.0.0/16', 'fd00:1::/32', 'Hooks.Internal.Example'],
      allowPrivateNetworks: false,
    });
    expect(policy.refusalOfHost('127.0.0.1')).toBeUndefined();
    expect(policy.refusalOfHost('[::ffff:127.0.0.1]')).toBeUndefined();
    expect(policy.refusalOfAddress('10.20.3.4')).toBeUndefined();
    expect(policy.refusalOfAddress('fd00:1::5')).toBeUndefined();
    expect(policy.allowsName('hooks.internal.example.')).toBe(true);
    expect(policy.refusalOfHost('hooks.internal.example')).toBeUndefined();
    // Not listed: still refused.
    expect(policy.refusalOfAddress('127.0.0.2')).toMatch(/loopback/);
    expect(policy.refusalOfAddress('10.21.0.1')).toMatch(/private/);
    expect(policy.refusalOfHost('localhost')).toEqual(expect.any(String));
  });

  it('allowPrivateNetworks opens internal ranges but never metadata, multicast or 0.0.0.0', () => {
    const policy = new WebhookAddressPolicy({ allowedHosts: [], allowPrivateNetworks: true });
    for (const address of ['127.0.0.1', '10.0.0.1', '192.168.1.1', '100.64.0.1', 'fd12::1']) {
      expect(policy.refusalOfAddress(address)).toBeUndefined();
    }
    for (const address of ['169.254.169.254', 'fd00:ec2::254', '0.0.0.0', '224.0.0.1']) {
      expect(policy.refusalOfAddress(address)).toEqual(expect.any(String));
    }
  });

  it('ignores an allow-list entry it cannot read rather than opening more', () => {
    const policy = new WebhookAddressPolicy({
      allowedHosts: ['10.0.0.0/99'],
      allowPrivateNetworks: false,
    });
    expect(policy.refusalOfAddress('10.0.0.1')).toMatch(/private/);
  });
});
