// A second shape of a generated day: a share of the postscreen clients, by address, connect over
// IPv6 from large providers' pools, as a real MX sees them (the generator's clients are all
// IPv4). A transform of postscreen lines only, for the GeoIP bench and the test that postscreen
// counts do not depend on the address family: the same client's smtpd lines keep its IPv4
// address, so it is not a world of its own.

/** Providers' /32s the moved clients come from (pools of many addresses in few /48s each). */
const POOLS = ['2a00:1450', '2a01:111', '2001:41d0', '2607:f8b0', '2804:14c', '240e:3a1', '2001:da8', '2a02:6b8'];

const CLIENT = /\[(\d+)\.(\d+)\.(\d+)\.(\d+)\]:(\d+)/;

/** The IPv6 address IPv4 client a.b.c.d becomes (the same every time), or null when it stays. */
function movedAddress(a: number, b: number, c: number, d: number, share: number): string | null {
  const h = Math.imul(((a * 256 + b) * 256 + c) * 256 + d, 0x9e3779b1) >>> 0;
  if (h / 2 ** 32 >= share) return null;
  return `${POOLS[h % POOLS.length]}:${(0x4000 + (b % 32)).toString(16)}:${c.toString(16)}::${d.toString(16)}`;
}

/** `line` with its postscreen client moved to IPv6 when its address falls in `share` (0-1). */
export function moveClientToIpv6(line: string, share: number): string {
  if (!line.includes('postfix/postscreen[')) return line;
  const m = CLIENT.exec(line);
  const moved = m && movedAddress(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), share);
  return m && moved ? line.slice(0, m.index) + `[${moved}]:${m[5]}` + line.slice(m.index + m[0].length) : line;
}
