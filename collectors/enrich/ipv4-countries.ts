// The country of an IPv4 address as a small number, from a flat table of ranges built once from
// the mmdb tree. The postscreen lane asks for the country of each of a million connections a
// day, from addresses too scattered for a cache; a walk of the 16 MB tree misses the processor's
// cache at most of its 32 steps, while this table answers from two short arrays: the ranges that
// begin in the address's /16, then a binary search among those few.
//
// Labels (loopback, private, the site's networks) are painted over the countries when the table
// is built, so a look-up needs no separate range checks.

/** A range of addresses, both ends included, given `code` (a label's) instead of its country. */
export interface Ipv4Overlay {
  first: number;
  last: number;
  code: number;
}

/** whole16: the /16 holds more than one range */
const NONE = 0xffff;

export class Ipv4Countries {
  /** unsigned start of each range, ascending; the first is 0 */
  private readonly starts: Uint32Array;
  /** the code of each range */
  private readonly rangeCodes: Uint16Array;
  /** by an address's top 16 bits: the range holding the /16's first address */
  private readonly firstOf16 = new Uint32Array(65537);
  /** by an address's top 16 bits: the code of a /16 that one range covers whole, else NONE */
  private readonly whole16 = new Uint16Array(65536);

  /**
   * The first `length` of `starts`/`codes`: the tree's ranges (each start unsigned, ascending, the
   * first 0) and their codes; `overlays` are painted over them in turn (so the last one wins
   * where they overlap).
   */
  constructor(starts: Uint32Array, codes: Uint16Array, length: number, overlays: readonly Ipv4Overlay[]) {
    // the overlays as ranges of their own over the whole space, -1 where none applies
    let os = [0];
    let oc = [-1];
    for (const o of overlays) [os, oc] = paint(os, oc, o.first >>> 0, o.last >>> 0, o.code);
    // one pass over both (each begins at 0): the overlay's code where there is one, else the tree's
    const s = new Uint32Array(length + os.length);
    const c = new Uint16Array(length + os.length);
    let n = 0;
    let i = 0;
    let j = 0;
    for (let at = 0; at !== Infinity; ) {
      const code = oc[j]! >= 0 ? oc[j]! : codes[i]!;
      if (n === 0 || c[n - 1] !== code) {
        s[n] = at;
        c[n++] = code;
      }
      const nextT = i + 1 < length ? starts[i + 1]! : Infinity;
      const nextO = j + 1 < os.length ? os[j + 1]! : Infinity;
      at = Math.min(nextT, nextO);
      if (nextT === at) i++;
      if (nextO === at) j++;
    }
    this.starts = s.slice(0, n);
    this.rangeCodes = c.slice(0, n);
    let r = 0;
    for (let k = 0; k < 65536; k++) {
      const a = k * 65536;
      while (r + 1 < n && s[r + 1]! <= a) r++;
      this.firstOf16[k] = r;
      // whole when the next range starts in a later /16
      this.whole16[k] = r + 1 >= n || s[r + 1]! >= a + 65536 ? c[r]! : NONE;
    }
    this.firstOf16[65536] = n - 1;
  }

  /** The code (country-codes.ts) of unsigned address `u`. */
  code(u: number): number {
    const k = u >>> 16;
    const whole = this.whole16[k]!;
    if (whole !== NONE) return whole;
    const starts = this.starts;
    let lo = this.firstOf16[k]!;
    let hi = this.firstOf16[k + 1]!;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid]! <= u) lo = mid;
      else hi = mid - 1;
    }
    return this.rangeCodes[lo]!;
  }
}

/** The ranges with [first, last] given `code`; neighbours may then share a code. */
function paint(starts: number[], codes: number[], first: number, last: number, code: number): [number[], number[]] {
  const s: number[] = [];
  const c: number[] = [];
  let i = 0;
  for (; i < starts.length && starts[i]! < first; i++) {
    s.push(starts[i]!);
    c.push(codes[i]!);
  }
  // the code in force just after `last`: of the last range starting at or before it
  let after = i > 0 ? codes[i - 1]! : codes[0]!;
  for (; i < starts.length && starts[i]! <= last; i++) after = codes[i]!;
  s.push(first);
  c.push(code);
  if (last < 0xffffffff && (i >= starts.length || starts[i]! > last + 1)) {
    s.push(last + 1);
    c.push(after);
  }
  for (; i < starts.length; i++) {
    s.push(starts[i]!);
    c.push(codes[i]!);
  }
  return [s, c];
}
