// Client addresses: which text we accept as an IP address, which hop of X-Forwarded-For is the
// client, and the key a per-address rate limit counts against. Standard JavaScript only.

/** An IP address we are willing to put in a header: IPv4 or IPv6 text, v4-mapped form unwrapped. */
export function normalizeAddress(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  let address = value.trim().replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (/^::ffff:\d{1,3}(?:\.\d{1,3}){3}$/i.test(address)) address = address.slice(7);
  if (parseIPv4(address)) return address;
  return address.includes(':') && parseIPv6(address) ? address : undefined;
}

/**
 * The key a per-address limit counts against: an IPv4 address as it is (IPv4-mapped IPv6 too,
 * in either spelling), an IPv6 address cut to its /64. One subscriber usually holds a whole /64,
 * so counting each of its 2^64 addresses apart would give one person unlimited budgets.
 */
export function addressKey(address: string): string {
  if (parseIPv4(address)) return address;
  const groups = parseIPv6(address);
  if (!groups) return address;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  }
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

/**
 * The client's address from `X-Forwarded-For` when `hops` proxies of yours stand in front of
 * the server. Each proxy appends the address it received the request from, so the client is
 * the `hops`-th entry from the right; everything left of it was written by the client and is
 * never read. A shorter header (a proxy was bypassed) gives its leftmost entry, as Express
 * does. `undefined` when there is no header or the entry is not an address.
 */
export function forwardedClient(header: string | undefined, hops: number): string | undefined {
  if (!header || hops < 1) return undefined;
  const entries = header.split(',').map((entry) => entry.trim()).filter(Boolean);
  if (entries.length === 0) return undefined;
  const entry = entries[Math.max(0, entries.length - hops)]!;
  return normalizeAddress(stripPort(entry));
}

/** `1.2.3.4:5678` → `1.2.3.4`, `[::1]:80` → `::1`; anything else as it is. */
function stripPort(entry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(entry);
  if (bracketed) return bracketed[1]!;
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(entry);
  return v4 ? v4[1]! : entry;
}

function parseIPv4(text: string): number[] | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1).map(Number);
  return octets.every((o) => o <= 255) ? octets : undefined;
}

/** Eight 16-bit groups, or undefined. Takes `::` compression and a dotted IPv4 tail. */
function parseIPv6(text: string): number[] | undefined {
  if (!/^[0-9a-f:.]{2,45}$/i.test(text)) return undefined;
  let rest = text;
  const tail: number[] = [];
  const dotted = /:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(rest);
  if (dotted) {
    const v4 = parseIPv4(dotted[1]!);
    if (!v4) return undefined;
    tail.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    rest = rest.slice(0, -dotted[1]!.length);
    if (!rest.endsWith('::')) rest = rest.slice(0, -1); // the ':' before the dotted part
  }
  const halves = rest.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string) => (part === '' ? [] : part.split(':'));
  const head = parse(halves[0]!);
  const back = halves.length === 2 ? parse(halves[1]!) : [];
  if (![...head, ...back].every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  const known = head.length + back.length + tail.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return undefined;
  const zeros = new Array<number>(8 - known).fill(0);
  return [...head.map((g) => parseInt(g, 16)), ...(halves.length === 2 ? zeros : []), ...back.map((g) => parseInt(g, 16)), ...tail];
}
