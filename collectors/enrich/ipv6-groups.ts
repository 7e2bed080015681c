// IPv6 addresses as their eight 16-bit groups, and prefixes matched on them: the labels of an
// IPv6 client (loopback, private, the site's networks) without node's BlockList, which builds a
// SocketAddress for each check (a few µs; a postscreen log can hold a hundred thousand IPv6
// connections a day).

/**
 * The eight groups of an address that `net.isIP` calls IPv6 and that has no dotted IPv4 tail
 * (`::ffff:1.2.3.4`); a zone (`%eth0`) is dropped.
 */
export function ipv6Groups(ip: string): number[] {
  const groups = [0, 0, 0, 0, 0, 0, 0, 0];
  // the groups before `::` go from the left, those after it are moved to the right end
  let n = 0;
  let gapAt = -1;
  let value = 0;
  let digits = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 58 /* : */) {
      if (digits > 0) groups[n++] = value;
      else if (i > 0) gapAt = n; // the second colon of `::`
      value = 0;
      digits = 0;
    } else if (c === 37 /* % */) break;
    else {
      value = value * 16 + (c <= 57 ? c - 48 : (c | 32) - 87);
      digits++;
    }
  }
  if (digits > 0) groups[n++] = value;
  if (gapAt >= 0) {
    const tail = n - gapAt;
    for (let k = 0; k < tail; k++) groups[7 - k] = groups[n - 1 - k]!;
    for (let k = gapAt; k < 8 - tail; k++) groups[k] = 0;
  }
  return groups;
}

/** An IPv6 prefix: its groups and its length in bits. */
export interface Ipv6Prefix {
  groups: number[];
  bits: number;
}

/** `x::/n` as a prefix; null for an IPv4 range. */
export function ipv6Prefix(cidr: string): Ipv6Prefix | null {
  const [net, bits] = cidr.split('/') as [string, string];
  if (!net.includes(':') || net.includes('.')) return null;
  return { groups: ipv6Groups(net), bits: Number(bits) };
}

/** Whether the address of `groups` lies in `p`. */
export function inIpv6Prefix(groups: readonly number[], p: Ipv6Prefix): boolean {
  let left = p.bits;
  for (let i = 0; left > 0; i++, left -= 16) {
    const mask = left >= 16 ? 0xffff : (0xffff << (16 - left)) & 0xffff;
    if ((groups[i]! & mask) !== (p.groups[i]! & mask)) return false;
  }
  return true;
}
