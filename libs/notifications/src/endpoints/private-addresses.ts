// Which IP addresses a webhook may not be sent to unless private networks are allowed: loopback, private,
// link-local, shared (CGNAT), documentation, benchmarking, multicast, reserved, and the IPv6 forms that embed
// one of those (IPv4-mapped, IPv4-translated, IPv4-compatible, NAT64, 6to4) — the IANA special-purpose address
// registries. IPv6 is judged by allow-list: only global unicast (2000::/3) outside the special ranges is
// public, so a range this file forgets to name is refused, not let through.
import { isIP } from 'node:net';

/** Why an address is refused, for the sentence the caller reads. */
export type AddressClass = 'unspecified' | 'loopback' | 'private' | 'link-local' | 'shared' | 'documentation' | 'benchmarking' | 'multicast' | 'reserved' | 'unique-local' | 'translation';

interface Range {
  bytes: number[];
  prefix: number;
  kind: AddressClass;
}

const v4 = (cidr: string, kind: AddressClass): Range => {
  const [address, prefix] = cidr.split('/');
  return { bytes: address.split('.').map(Number), prefix: Number(prefix), kind };
};

const V4_RANGES: Range[] = [
  v4('0.0.0.0/8', 'unspecified'),
  v4('10.0.0.0/8', 'private'),
  v4('100.64.0.0/10', 'shared'),
  v4('127.0.0.0/8', 'loopback'),
  v4('169.254.0.0/16', 'link-local'),
  v4('172.16.0.0/12', 'private'),
  v4('192.0.0.0/24', 'reserved'),
  v4('192.0.2.0/24', 'documentation'),
  v4('192.88.99.0/24', 'reserved'),
  v4('192.168.0.0/16', 'private'),
  v4('198.18.0.0/15', 'benchmarking'),
  v4('198.51.100.0/24', 'documentation'),
  v4('203.0.113.0/24', 'documentation'),
  v4('224.0.0.0/4', 'multicast'),
  v4('240.0.0.0/4', 'reserved'),
];

const v6 = (hexPrefix: number[], prefix: number, kind: AddressClass): Range => ({ bytes: hexPrefix, prefix, kind });

/** IPv6 ranges refused outright (those embedding an IPv4 address are judged by that address instead). */
const V6_RANGES: Range[] = [
  v6([0x01, 0x00, 0, 0, 0, 0, 0, 0], 64, 'reserved'), // 100::/64 discard-only
  v6([0x00, 0x64, 0xff, 0x9b, 0x00, 0x01], 48, 'translation'), // 64:ff9b:1::/48 local-use NAT64
  v6([0x20, 0x01, 0x00, 0x00], 32, 'translation'), // 2001::/32 Teredo (the IPv4 inside is obfuscated)
  v6([0x20, 0x01, 0x00, 0x00], 23, 'reserved'), // 2001::/23 IETF protocol assignments (benchmarking 2001:2::/48, ORCHID, …)
  v6([0x20, 0x01, 0x0d, 0xb8], 32, 'documentation'), // 2001:db8::/32
  v6([0x3f, 0xff], 20, 'documentation'), // 3fff::/20
  v6([0xfc], 7, 'unique-local'), // fc00::/7
  v6([0xfe, 0x80], 10, 'link-local'), // fe80::/10
  v6([0xfe, 0xc0], 10, 'private'), // fec0::/10 site-local (deprecated)
  v6([0xff], 8, 'multicast'), // ff00::/8
];

function inRange(bytes: number[], range: Range): boolean {
  let bits = range.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((range.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

function classifyV4(bytes: number[]): AddressClass | null {
  return V4_RANGES.find((r) => inRange(bytes, r))?.kind ?? null;
}

/** The 16 bytes of an IPv6 address in any textual form (`::`, an embedded dotted IPv4 tail, a `%zone`). */
export function ipv6Bytes(address: string): number[] {
  const text = address.replace(/^\[|\]$/g, '').split('%')[0];
  let groups: number[] = [];
  const parse = (part: string): number[] => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (g.includes('.')) {
        const [a, b, c, d] = g.split('.').map(Number);
        out.push((a << 8) | b, (c << 8) | d);
      } else out.push(parseInt(g, 16));
    }
    return out;
  };
  const gap = text.indexOf('::');
  if (gap >= 0) {
    const head = parse(text.slice(0, gap));
    const tail = parse(text.slice(gap + 2));
    groups = [...head, ...Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else groups = parse(text);
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

/**
 * The class of a literal IP address that a public webhook may not target, or null for a public address.
 * Not an IP address at all: null (resolve host names first and judge each address).
 */
export function nonPublicAddressClass(address: string): AddressClass | null {
  const bare = address.replace(/^\[|\]$/g, '');
  const family = isIP(bare.split('%')[0]);
  if (family === 4) return classifyV4(bare.split('.').map(Number));
  if (family !== 6) return null;
  const b = ipv6Bytes(bare);
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zeros(0, 16)) return 'unspecified';
  if (zeros(0, 15) && b[15] === 1) return 'loopback';
  // ::ffff:a.b.c.d (IPv4-mapped) and ::ffff:0:a.b.c.d (IPv4-translated, SIIT) reach the IPv4 address.
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return classifyV4(b.slice(12));
  if (zeros(0, 8) && b[8] === 0xff && b[9] === 0xff && b[10] === 0 && b[11] === 0) return classifyV4(b.slice(12));
  // ::a.b.c.d (IPv4-compatible, deprecated): never a public target, whatever the IPv4 address.
  if (zeros(0, 12)) return classifyV4(b.slice(12)) ?? 'reserved';
  // 64:ff9b::/96 (NAT64) and 2002::/16 (6to4) carry an IPv4 address a gateway will reach.
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return classifyV4(b.slice(12));
  if (b[0] === 0x20 && b[1] === 0x02) return classifyV4(b.slice(2, 6));
  const special = V6_RANGES.find((r) => inRange(b, r))?.kind;
  if (special) return special;
  // Outside global unicast 2000::/3: reserved or unassigned (the rest of ::/8, 100::/8, 5f00::/16 SRv6, …).
  return (b[0] & 0xe0) === 0x20 ? null : 'reserved';
}
