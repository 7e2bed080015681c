// The country of an IPv4 address as a small number, from flat tables built once from the mmdb
// tree. The postscreen lane asks for the country of each of a million connections a day, from
// addresses too scattered for a cache; a walk of the 16 MB tree misses the processor's cache at
// most of its 32 steps. Here a look-up reads one entry by the address's /16: the country of a
// /16 that one country holds whole (most of them), else a block of 256 entries, one per /24, read
// next. Only a /24 split between countries (a few in a thousand look-ups) takes a binary search
// among the ranges that begin in its /16: a search that misses the cache at most of its steps
// cost more than the other two reads together (docs/benchmark.md).
//
// Labels (loopback, private, the site's networks) are painted over the countries when the table
// is built, so a look-up needs no separate range checks.

/** A range of addresses, both ends included, given `code` (a label's) instead of its country. */
export interface Ipv4Overlay {
  first: number;
  last: number;
  code: number;
}

/** an entry of by24: the /24 holds more than one range */
const NONE = 0xffff;
/** an entry of by16 at or above this is BLOCK + the index of its /16's block in by24 */
const BLOCK = 0x8000;

export class Ipv4Countries {
  /** unsigned start of each range, ascending; the first is 0 */
  private readonly starts: Uint32Array;
  /** the code of each range */
  private readonly rangeCodes: Uint16Array;
  /** by an address's top 16 bits: the range holding the /16's first address */
  private readonly firstOf16 = new Uint32Array(65537);
  /** by an address's top 16 bits: the code of a /16 that one range covers whole, else BLOCK + its block */
  private readonly by16 = new Uint16Array(65536);
  /** blocks of 256 by the address's third byte: the code of a /24 one range covers whole, else NONE */
  private readonly by24: Uint16Array;

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
    let blocks = 0;
    for (let k = 0; k < 65536; k++) {
      const a = k * 65536;
      while (r + 1 < n && s[r + 1]! <= a) r++;
      this.firstOf16[k] = r;
      // whole when the next range starts in a later /16
      const whole = r + 1 >= n || s[r + 1]! >= a + 65536;
      this.by16[k] = whole ? c[r]! : BLOCK + blocks++;
    }
    this.firstOf16[65536] = n - 1;
    if (blocks > 0xffff - BLOCK) throw new Error(`ipv4 table: ${blocks} split /16s`);
    this.by24 = new Uint16Array(blocks * 256);
    for (let k = 0; k < 65536; k++) {
      const entry = this.by16[k]!;
      if (entry < BLOCK) continue;
      const block = (entry - BLOCK) * 256;
      const base = k * 65536;
      // each range's part of the /16, [lo, hi] as offsets: the /24s it covers whole take its
      // code; a /24 holding its last address but not the next one is split (neighbouring ranges
      // differ in code, and the next range begins there)
      for (let q = this.firstOf16[k]!; q < n && s[q]! < base + 65536; q++) {
        const lo = Math.max(s[q]!, base) - base;
        const hi = (q + 1 < n ? Math.min(s[q + 1]!, base + 65536) : base + 65536) - base - 1;
        this.by24.fill(c[q]!, block + Math.ceil(lo / 256), block + Math.floor((hi + 1) / 256));
        if ((hi + 1) % 256 !== 0) this.by24[block + (hi >>> 8)] = NONE;
      }
    }
  }

  /**
   * code() of each of the first `n` addresses (int32) of `ips`, into `codes`. The /16 entries are
   * read first, in a loop of their own: no read depends on another, so their cache misses are
   * served together; then the few split /16s are read again by /24.
   */
  codes(ips: Int32Array, n: number, codes: Uint16Array): void {
    const by16 = this.by16;
    for (let i = 0; i < n; i++) codes[i] = by16[ips[i]! >>> 16]!;
    for (let i = 0; i < n; i++) if (codes[i]! >= BLOCK) codes[i] = this.code(ips[i]! >>> 0);
  }

  /** The code (country-codes.ts) of unsigned address `u`. */
  code(u: number): number {
    const k = u >>> 16;
    const entry = this.by16[k]!;
    if (entry < BLOCK) return entry;
    const code = this.by24[(entry - BLOCK) * 256 + ((u >>> 8) & 255)]!;
    if (code !== NONE) return code;
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
