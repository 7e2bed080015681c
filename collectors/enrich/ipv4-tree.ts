// The IPv4 part of an mmdb file's search tree, read directly: the flat country table
// (ipv4-countries.ts) is built from its top 24 levels, and answers the rest from it. maxmind
// answers one address at a time (a string parsed, a record decoded into a new object).
//
// The tree (MaxMind DB spec, "Search Tree Section"): nodeCount nodes of two records each (left:
// bit 0, right: bit 1); a record below nodeCount is a node, equal to it means "no data", above
// it points into the data section. In an IPv6 tree, IPv4 addresses sit under 96 zero bits.

export class Ipv4Tree {
  readonly nodeCount: number;
  /** the node of the IPv4 address space (::/96 in an IPv6 tree) */
  readonly root: number;
  private readonly recordSize: number;

  constructor(
    private readonly buf: Buffer,
    meta: { nodeCount: number; recordSize: number; ipVersion: number },
  ) {
    if (![24, 28, 32].includes(meta.recordSize)) throw new Error(`mmdb: unsupported record size ${meta.recordSize}`);
    this.nodeCount = meta.nodeCount;
    this.recordSize = meta.recordSize;
    let node = 0;
    if (meta.ipVersion === 6) for (let i = 0; i < 96 && node < this.nodeCount; i++) node = this.record(node, 0);
    this.root = node;
  }

  /** The record of `node` for `bit`: a node (below nodeCount), no data (nodeCount), or data. */
  record(node: number, bit: number): number {
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

  /** The record unsigned address `u` ends on (nodeCount: no data), as maxmind would find it. */
  recordOf(u: number): number {
    let node = this.root;
    for (let depth = 0; depth < 32 && node < this.nodeCount; depth++) node = this.record(node, (u >>> (31 - depth)) & 1);
    return node;
  }
}
