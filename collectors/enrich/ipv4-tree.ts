// A direct walk of an mmdb file's search tree for IPv4 addresses given as numbers. The postscreen
// tracker asks for the country of every new client, a hundred thousand distinct addresses a day
// at a tenth of the seed's load, scattered so widely that a cache rarely hits; maxmind's get()
// (a string parsed, a record decoded into a new object) cost 5-8 µs each, this walk a fraction of
// one. The records it ends on are few (one per country in a country file): each is decoded once,
// through maxmind, and remembered by its position.
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

  /** The record an address ends on: > nodeCount data, === nodeCount none (then -1). */
  find(u: number): number {
    let node = this.start;
    for (let bit = 31; bit >= 0 && node < this.nodeCount; bit--) node = this.record(node, (u >>> bit) & 1);
    return node > this.nodeCount ? node : -1;
  }
}
