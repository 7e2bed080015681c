// The country of an IPv4 address as a small number, from two flat arrays built once from the
// top 24 levels of the mmdb tree. The postscreen lane asks for the country of each of a million
// connections a day, from addresses too scattered for a cache; a walk of the 8 MB tree misses
// the processor's cache at most of its 32 steps. Here a look-up reads one entry by the address's
// /16: the country of a /16 that one country holds whole (most of them), else a block of 256
// entries, one per /24, read next. Only a /24 split between countries (a few in a thousand
// look-ups) walks the tree.
//
// Labels (loopback, private, the site's networks) are painted over the countries when the table
// is built, so a look-up needs no separate range checks.
import type { Ipv4Tree } from './ipv4-tree';

/** A range of addresses, both ends included, given `code` (a label's) instead of its country. */
export interface Ipv4Overlay {
  first: number;
  last: number;
  code: number;
}

/** The code of a data record of the tree (nodeCount: no data); `at` is an address ending on it. */
export type CodeOfRecord = (record: number, at: number) => number;

/** an entry of by24: the /24 is split, ask the tree */
const SPLIT = 0xffff;
/** an entry of by16 at or above this is BLOCK + the index of its /16's block in by24 */
const BLOCK = 0x8000;

export class Ipv4Countries {
  /** by an address's top 16 bits: the code of a /16 one country covers whole, else BLOCK + its block */
  private readonly by16 = new Uint16Array(65536);
  /** blocks of 256 by the address's third byte: the code of a /24 one country covers whole, else SPLIT */
  private readonly by24: Uint16Array;
  private blocks = 0;

  /** `overlays` are painted over the tree's countries in turn, so the last one wins where they overlap. */
  constructor(
    private readonly tree: Ipv4Tree,
    private readonly codeOf: CodeOfRecord,
    private readonly overlays: readonly Ipv4Overlay[],
  ) {
    // the blocks the tree needs, then two more for each overlay (one at each end)
    this.by24 = new Uint16Array((this.splitSixteens() + 2 * overlays.length) * 256);
    this.fill();
    for (const o of overlays) this.paint(o.first >>> 0, o.last >>> 0, o.code);
  }

  /** The code (country-codes.ts) of unsigned address `u`. */
  code(u: number): number {
    const entry = this.by16[u >>> 16]!;
    if (entry < BLOCK) return entry;
    const code = this.by24[(entry - BLOCK) * 256 + ((u >>> 8) & 255)]!;
    return code !== SPLIT ? code : this.exact(u);
  }

  /**
   * code() of each of the first `n` addresses (int32) of `ips`, into `codes`. The /16 entries are
   * read first, in a loop of their own: no read depends on another, so their cache misses are
   * served together; then the split /16s are read again by /24.
   */
  codes(ips: Int32Array, n: number, codes: Uint16Array): void {
    const by16 = this.by16;
    for (let i = 0; i < n; i++) codes[i] = by16[ips[i]! >>> 16]!;
    for (let i = 0; i < n; i++) if (codes[i]! >= BLOCK) codes[i] = this.code(ips[i]! >>> 0);
  }

  /** A split /24's address: the last overlay holding it, else the tree. */
  private exact(u: number): number {
    for (let i = this.overlays.length - 1; i >= 0; i--) {
      const o = this.overlays[i]!;
      if (u >= o.first >>> 0 && u <= o.last >>> 0) return o.code;
    }
    return this.codeOf(this.tree.recordOf(u), u);
  }

  /** The number of /16s the tree splits (inner nodes at depth 16). */
  private splitSixteens(): number {
    const { nodeCount } = this.tree;
    let n = 0;
    const walk = (node: number, depth: number): void => {
      if (node >= nodeCount) return;
      if (depth === 16) n++;
      else {
        walk(this.tree.record(node, 0), depth + 1);
        walk(this.tree.record(node, 1), depth + 1);
      }
    };
    walk(this.tree.root, 0);
    return n;
  }

  /**
   * The tree's countries, depth first down to the /24s: a leaf at depth d ≤ 16 fills 2^(16-d)
   * entries of by16; a node at depth 16 takes a block, its leaves at depth 17-24 fill entries
   * of it; a node at depth 24 marks its /24 split.
   */
  private fill(): void {
    const tree = this.tree;
    const nodeCount = tree.nodeCount;
    const by16 = this.by16;
    const by24 = this.by24;
    // the right halves still to walk
    const stackNode = new Int32Array(25);
    const stackPrefix = new Uint32Array(25);
    const stackDepth = new Uint8Array(25);
    let top = 0;
    let node = tree.root;
    let prefix = 0;
    let depth = 0;
    let block = 0;
    let lastRecord = -1;
    let lastCode = 0;
    for (;;) {
      while (node < nodeCount && depth < 24) {
        if (depth === 16) by16[prefix >>> 16] = BLOCK + (block = this.blocks++);
        stackNode[top] = tree.record(node, 1);
        stackPrefix[top] = (prefix | (1 << (31 - depth))) >>> 0;
        stackDepth[top++] = depth + 1;
        node = tree.record(node, 0);
        depth++;
      }
      // neighbouring leaves mostly end on the same record (a range cut into aligned pieces)
      if (node !== lastRecord && node >= nodeCount) {
        lastRecord = node;
        lastCode = this.codeOf(node, prefix);
      }
      if (depth <= 16) {
        for (let k = prefix >>> 16, end = k + (1 << (16 - depth)); k < end; k++) by16[k] = lastCode;
      } else {
        // the block taken at this /16's node: the walk ends a /16 before it begins the next
        const at = block * 256 + ((prefix >>> 8) & 255);
        if (node < nodeCount) by24[at] = SPLIT;
        else for (let i = at, end = at + (1 << (24 - depth)); i < end; i++) by24[i] = lastCode;
      }
      if (top === 0) break;
      node = stackNode[--top]!;
      prefix = stackPrefix[top]!;
      depth = stackDepth[top]!;
    }
  }

  /** Gives [first, last] `code`: whole /16s in by16, whole /24s in a block, the ends split. */
  private paint(first: number, last: number, code: number): void {
    for (let k = first >>> 16; k <= last >>> 16; k++) {
      const lo = Math.max(first, k * 65536);
      const hi = Math.min(last, k * 65536 + 65535);
      if (lo === k * 65536 && hi === k * 65536 + 65535) {
        this.by16[k] = code;
        continue;
      }
      const block = this.blockOf(k) * 256;
      for (let b = (lo >>> 8) & 255; b <= ((hi >>> 8) & 255); b++) {
        const whole = lo <= k * 65536 + b * 256 && hi >= k * 65536 + b * 256 + 255;
        this.by24[block + b] = whole ? code : SPLIT;
      }
    }
  }

  /** The block of /16 `k`, made (filled with the /16's code) when it has none. */
  private blockOf(k: number): number {
    const entry = this.by16[k]!;
    if (entry >= BLOCK) return entry - BLOCK;
    const block = this.blocks++;
    this.by24.fill(entry, block * 256, block * 256 + 256);
    this.by16[k] = BLOCK + block;
    return block;
  }
}
