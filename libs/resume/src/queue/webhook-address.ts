import { BlockList, isIP } from 'node:net';

/**
 * What an address is, for webhook destinations: only `public` is reachable by default.
 * The rest are the gateway's own machine and networks, which a tenant must not reach
 * through the gateway (blind SSRF: Redis on loopback, a cloud's metadata service).
 */
export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'cgnat'
  | 'unique-local'
  | 'unspecified'
  | 'multicast'
  | 'reserved'
  | 'metadata';

/** Classes `allowPrivateNetworks` opens; metadata, unspecified, multicast and reserved stay shut. */
const PRIVATE_CLASSES: ReadonlySet<AddressClass> = new Set<AddressClass>([
  'loopback',
  'private',
  'link-local',
  'cgnat',
  'unique-local',
]);

/** Cloud instance-metadata services (AWS, ECS, GCP, Azure, Alibaba, Oracle). */
const METADATA_ADDRESSES = new Set([
  '169.254.169.254',
  '169.254.170.2',
  '100.100.100.200',
  '192.0.0.192',
  'fd00:ec2::254',
]);

/** Host names that name this machine or a metadata service whatever DNS says. */
const FORBIDDEN_NAMES = new Set([
  'localhost',
  'localhost.localdomain',
  'ip6-localhost',
  'ip6-loopback',
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'metadata.azure.com',
  'instance-data',
  'instance-data.ec2.internal',
]);

/** IPv4 ranges by class (RFC 6890 special-purpose registry, the parts that matter here). */
const V4_RANGES: ReadonlyArray<[string, number, AddressClass]> = [
  ['0.0.0.0', 8, 'unspecified'],
  ['127.0.0.0', 8, 'loopback'],
  ['10.0.0.0', 8, 'private'],
  ['172.16.0.0', 12, 'private'],
  ['192.168.0.0', 16, 'private'],
  ['100.64.0.0', 10, 'cgnat'],
  ['169.254.0.0', 16, 'link-local'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'reserved'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
];

/** IPv6 ranges by class; IPv4 embedded in IPv6 is classified as the IPv4 address. */
const V6_RANGES: ReadonlyArray<[string, number, AddressClass]> = [
  ['fc00::', 7, 'unique-local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'reserved'],
  ['ff00::', 8, 'multicast'],
  ['2001:db8::', 32, 'reserved'],
  ['2001::', 32, 'reserved'],
  ['100::', 64, 'reserved'],
];

const V4_LISTS = listsOf(V4_RANGES, 'ipv4');
const V6_LISTS = listsOf(V6_RANGES, 'ipv6');

function listsOf(
  ranges: ReadonlyArray<[string, number, AddressClass]>,
  type: 'ipv4' | 'ipv6',
): Array<[BlockList, AddressClass]> {
  return ranges.map(([network, prefix, kind]) => {
    const list = new BlockList();
    list.addSubnet(network, prefix, type);
    return [list, kind];
  });
}

/**
 * The class of an IP address (IPv4 in any form `URL` accepts, or IPv6 with or without
 * brackets). IPv4-mapped, IPv4-compatible, NAT64 and 6to4 IPv6 addresses are classified
 * by the IPv4 address inside them. Anything that is not an IP address is `reserved`.
 */
export function classifyAddress(input: string): AddressClass {
  const address = normalizeAddress(input);
  if (address === undefined) return 'reserved';
  if (METADATA_ADDRESSES.has(address)) return 'metadata';
  if (isIP(address) === 4) {
    if (address === '255.255.255.255') return 'reserved';
    return V4_LISTS.find(([list]) => list.check(address, 'ipv4'))?.[1] ?? 'public';
  }
  const groups = ipv6Groups(address);
  if (groups.slice(0, 7).every((g) => g === 0)) {
    if (groups[7] === 0) return 'unspecified';
    if (groups[7] === 1) return 'loopback';
  }
  const embedded = embeddedIpv4(groups);
  if (embedded !== undefined) return classifyAddress(embedded);
  return V6_LISTS.find(([list]) => list.check(address, 'ipv6'))?.[1] ?? 'public';
}

/**
 * An IP address in its canonical text (the WHATWG URL parser turns `0x7f000001`,
 * `2130706433`, `127.1` and `0177.0.0.1` into `127.0.0.1`, and compresses IPv6), or
 * undefined when `input` is a host name.
 */
export function normalizeAddress(input: string): string | undefined {
  const bare = input.startsWith('[') && input.endsWith(']') ? input.slice(1, -1) : input;
  if (isIP(bare) === 6) return hostOf(`[${bare}]`)?.slice(1, -1);
  const host = hostOf(bare);
  return host !== undefined && isIP(host) === 4 ? host : undefined;
}

function hostOf(host: string): string | undefined {
  try {
    return new URL(`http://${host}/`).hostname;
  } catch {
    return undefined;
  }
}

/** The eight 16-bit groups of a valid IPv6 address (a trailing dotted IPv4 included). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const parse = (part: string): number[] =>
    part === '' ? [] : part.split(':').map((g) => parseInt(g, 16));
  const left = parse(head);
  if (tail === undefined) return left;
  const right = parse(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), if any. */
function embeddedIpv4(g: number[]): string | undefined {
  const v4 = (hi: number, lo: number): string => [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.');
  const zeros = (from: number, to: number): boolean => g.slice(from, to).every((x) => x === 0);
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, deprecated).
  if (zeros(0, 5) && (g[5] === 0xffff || g[5] === 0)) return v4(g[6], g[7]);
  // 64:ff9b::a.b.c.d and 64:ff9b:1::/48 (NAT64).
  if (g[0] === 0x64 && g[1] === 0xff9b && (zeros(2, 6) || g[2] === 1)) return v4(g[6], g[7]);
  // 2002:AABB:CCDD::/48 (6to4).
  if (g[0] === 0x2002) return v4(g[1], g[2]);
  return undefined;
}

/** Where webhooks may go besides public addresses (`tasks.webhooks`). */
export interface WebhookNetworkPolicy {
  /** Host names (exact, case-insensitive) and IP addresses or CIDR ranges. */
  allowedHosts: readonly string[];
  /** Loopback, private, link-local, CGNAT and unique-local addresses are allowed. */
  allowPrivateNetworks: boolean;
}

/** The policy compiled once per configuration: names, and a BlockList of allowed ranges. */
export class WebhookAddressPolicy {
  private readonly names = new Set<string>();
  private readonly ranges = new BlockList();

  constructor(private readonly policy: WebhookNetworkPolicy) {
    for (const entry of policy.allowedHosts) {
      const [network, prefix] = entry.split('/');
      const address = normalizeAddress(network);
      if (address === undefined) {
        this.names.add(nameOf(entry));
        continue;
      }
      const type = isIP(address) === 4 ? 'ipv4' : 'ipv6';
      try {
        if (prefix === undefined) this.ranges.addAddress(address, type);
        else this.ranges.addSubnet(address, Number(prefix), type);
      } catch {
        // A prefix out of range opens nothing: an unreadable entry must not widen access.
      }
    }
  }

  /** True when the operator listed this host name (it may then resolve anywhere). */
  allowsName(host: string): boolean {
    return this.names.has(nameOf(host));
  }

  /**
   * Why a URL's host is refused before any lookup (an address literal outside the
   * policy, or a name that always means this machine or a metadata service); undefined
   * when it may be tried.
   */
  refusalOfHost(host: string): string | undefined {
    if (this.allowsName(host)) return undefined;
    const address = normalizeAddress(host);
    if (address !== undefined) return this.refusalOfAddress(address);
    const name = nameOf(host);
    if (FORBIDDEN_NAMES.has(name) || name.endsWith('.localhost')) {
      return `'${name.slice(0, 64)}' names the gateway's own machine or a metadata service`;
    }
    return undefined;
  }

  /** Why a resolved address is refused, or undefined when it is allowed. */
  refusalOfAddress(address: string): string | undefined {
    const kind = classifyAddress(address);
    if (kind === 'public') return undefined;
    const canonical = normalizeAddress(address) ?? address;
    const type = isIP(canonical) === 4 ? 'ipv4' : 'ipv6';
    if (isIP(canonical) !== 0 && this.ranges.check(canonical, type)) return undefined;
    if (this.policy.allowPrivateNetworks && PRIVATE_CLASSES.has(kind)) return undefined;
    return `${canonical.slice(0, 64)} is a ${kind} address`;
  }
}

/** A host name as compared: lower case, without brackets or a trailing dot. */
function nameOf(host: string): string {
  return host
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
}
