// IPv6 addresses as their eight 16-bit groups, and prefixes matched on them: the labels of an
// IPv6 client (loopback, private, the site's networks) without node's BlockList, which builds a
// SocketAddress for each check (a few µs; a postscreen log can hold a hundred thousand IPv6
// connections a day). The reader is also the check: node's isIP tests IPv6 text with a long
// regular expression, which cost more than the rest of a look-up.

/** Zone characters node's isIP allows after `%`. */
const ZONE = /^[0-9a-zA-Z.:-]+$/;

/**
 * Reads IPv6 text without a dotted IPv4 tail into `groups` (eight numbers): true when it is an
 * address `net.isIP` calls IPv6, false for anything else (groups then undefined). A zone
 * (`%eth0`) is checked and dropped.
 */
export function readIpv6(ip: string, groups: number[] | Uint16Array): boolean {
  let n = 0;
  let gapAt = -1;
  let value = 0;
  let digits = 0;
  let end = ip.length;
  for (let i = 0; i < end; i++) {
    const c = ip.charCodeAt(i);
    if (c === 37 /* % */) {
      if (!ZONE.test(ip.slice(i + 1))) return false;
      end = i;
      if (i > 0 && ip.charCodeAt(i - 1) === 58 && (i < 2 || ip.charCodeAt(i - 2) !== 58)) return false; // `1:%z`
      break;
    }
    if (c === 58 /* : */) {
      if (digits > 0) {
        if (n === 8) return false;
        groups[n++] = value;
        if (i + 1 === end) return false; // a group cannot end the text with one colon
      } else if (i > 0 && ip.charCodeAt(i - 1) === 58) {
        if (gapAt >= 0) return false; // a second `::`
        gapAt = n;
      } else if (i + 1 >= end || ip.charCodeAt(i + 1) !== 58) return false; // a lone colon
      value = 0;
      digits = 0;
    } else {
      const d = c >= 48 && c <= 57 ? c - 48 : (c | 32) >= 97 && (c | 32) <= 102 ? (c | 32) - 87 : -1;
      if (d < 0 || digits === 4) return false;
      value = value * 16 + d;
      digits++;
    }
  }
  if (digits > 0) {
    if (n === 8) return false;
    groups[n++] = value;
  }
  if (gapAt < 0) return n === 8;
  if (n === 8) return false; // `::` stands for at least one group
  const tail = n - gapAt;
  for (let k = 0; k < tail; k++) groups[7 - k] = groups[n - 1 - k]!;
  for (let k = gapAt; k < 8 - tail; k++) groups[k] = 0;
  return true;
}

/**
 * IPv6 text `net.isIP` accepts, with a dotted IPv4 tail (`::ffff:1.2.3.4`) written as two hex
 * groups instead (`::ffff:102:304`), so that `readIpv6` reads it; text without one is returned
 * as it is. A zone is dropped.
 */
export function hexTail(ip: string): string {
  const zone = ip.indexOf('%');
  const addr = zone < 0 ? ip : ip.slice(0, zone);
  if (!addr.includes('.')) return ip;
  const head = addr.lastIndexOf(':') + 1;
  const [a, b, c, d] = addr.slice(head).split('.').map(Number) as [number, number, number, number];
  return `${addr.slice(0, head)}${(a * 256 + b).toString(16)}:${(c * 256 + d).toString(16)}`;
}

/** The eight groups of IPv6 text `readIpv6` accepts (others give nonsense). */
export function ipv6Groups(ip: string): number[] {
  const groups = [0, 0, 0, 0, 0, 0, 0, 0];
  readIpv6(ip, groups);
  return groups;
}

/** An IPv6 prefix: its groups and its length in bits. */
export interface Ipv6Prefix {
  groups: number[];
  bits: number;
}

/** `x::/n` (a dotted IPv4 tail allowed) as a prefix; null for an IPv4 range. */
export function ipv6Prefix(cidr: string): Ipv6Prefix | null {
  const [net, bits] = cidr.split('/') as [string, string];
  if (!net.includes(':')) return null;
  return { groups: ipv6Groups(hexTail(net)), bits: Number(bits) };
}

/** Whether the address of `groups` lies in `p`. */
export function inIpv6Prefix(groups: ArrayLike<number>, p: Ipv6Prefix): boolean {
  let left = p.bits;
  for (let i = 0; left > 0; i++, left -= 16) {
    const mask = left >= 16 ? 0xffff : (0xffff << (16 - left)) & 0xffff;
    if ((groups[i]! & mask) !== (p.groups[i]! & mask)) return false;
  }
  return true;
}
