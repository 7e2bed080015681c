// A walk of an mmdb file's search tree over the IPv4 addresses, giving the ranges of addresses
// that end on each data record: the flat country table (ipv4-countries.ts) is built from them.
// maxmind answers one address at a time (a string parsed, a record decoded into a new object).
//
// The tree (MaxMind DB spec, "Search Tree Section"): nodeCount nodes of two records each (left:
// bit 0, right: bit 1); a record below nodeCount is a node, equal to it means "no data", above
// it points into the data section. In an IPv6 tree, IPv4 addresses sit under 96 zero bits.

export class Ipv4Tree {
  private readonly nodeCount: number;
  private readonly recordSize: number;
  private readonly start: number;

  constructor(
    private readonly buf: Buffer,
    meta: { nodeCount: number; recordSize: number; ipVersion: number },
  ) {
    if (![24, 28, 32].includes(meta.recordSize)) throw new Error(`mmdb: unsupported record size ${meta.recordSize}`);
    this.nodeCount = meta.nodeCount;
    this.recordSize = meta.recordSize;
    let node = 0;
    if (meta.ipVersion === 6) for (let i = 0; i < 96 && node < this.nodeCount; i++) node = this.record(node, 0);
    this.start = node;
  }

  private record(node: number, bit: number): number {
    const b = this.buf;
    switch (this.recordSize) {
      case 24: {
        const o = node * 6 + bit * 3;
        return (b[o]! << 16) | (b[o + 1]! << 8) | b[o + 2]!;
      }
      case 28: {
        const o = node * 7;
        if (bit === 0) return ((b[o + 3]! & 0xf0) << 20) | (b[o]! << 16) | (b[o + 1]! << 8) | b[o + 2]!;
        return ((b[o + 3]! & 0x0f) << 24) | (b[o + 4]! << 16) | (b[o + 5]! << 8) | b[o + 6]!;
      }
      default: {
        const o = node * 8 + bit * 4;
        return b.readUInt32BE(o);
      }
    }
  }

  /**
   * Every IPv4 address in order, as ranges: `starts[i]` (unsigned) begins a run of addresses that
   * end on `records[i]` (-1: no data), up to the next start; `length` ranges. Neighbours never
   * share a record.
   */
  ranges(): { starts: Uint32Array; records: Float64Array; length: number } {
    const nodeCount = this.nodeCount;
    let starts = new Uint32Array(1 << 16);
    let records = new Float64Array(1 << 16);
    let n = 0;
    // depth-first, left before right: the stack holds the right halves still to walk
    const stackNode = new Int32Array(33);
    const stackPrefix = new Uint32Array(33);
    const stackDepth = new Uint8Array(33);
    let top = 0;
    let node = this.start;
    let prefix = 0;
    let depth = 0;
    for (;;) {
      while (node < nodeCount && depth < 32) {
        stackNode[top] = this.record(node, 1);
        stackPrefix[top] = (prefix | (1 << (31 - depth))) >>> 0;
        stackDepth[top++] = depth + 1;
        node = this.record(node, 0);
        depth++;
      }
      const r = node > nodeCount ? node : -1;
      if (n === 0 || records[n - 1] !== r) {
        if (n === starts.length) {
          starts = grow(starts, new Uint32Array(n * 2));
          records = grow(records, new Float64Array(n * 2));
        }
        starts[n] = prefix;
        records[n++] = r;
      }
      if (top === 0) break;
      node = stackNode[--top]!;
      prefix = stackPrefix[top]!;
      depth = stackDepth[top]!;
    }
    return { starts, records, length: n };
  }
}

function grow<T extends Uint32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
