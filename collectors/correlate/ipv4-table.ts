// Open IPv4 connections of one MX in typed arrays (the postscreen tracker's table).
const EMPTY = -1;
const GONE = -2;

/**
 * Open IPv4 connections of one MX, by (ip, port): an open-addressing hash table in typed arrays.
 * Why not a Map: a million connections a day, each a key (a boxed number: ip × 65536 + port does
 * not fit a small integer), an entry and an object, made and dropped within seconds; the Map
 * version was a large share of the collector's CPU with its garbage collection.
 */
export class Ipv4Table {
  private shift = 22; // 32 - log2(capacity)
  private mask = 1023;
  ip = new Int32Array(1024);
  /** EMPTY, GONE (deleted), or the port */
  port = new Int32Array(1024).fill(EMPTY);
  at = new Float64Array(1024);
  /** outcome id (see outcomeId), NO_OUTCOME when none yet */
  outcome = new Int16Array(1024);
  /** DNSBL rank, NaN when none */
  rank = new Float64Array(1024);
  size = 0;
  /** live and deleted slots: a probe stops only at an empty one */
  private filled = 0;

  private slotOf(ip: number, port: number): number {
    return Math.imul(ip ^ Math.imul(port, 0x85ebca6b), 0x9e3779b1) >>> this.shift;
  }

  /** The slot of (ip, port), -1 when not open. `ip` as an int32 (ip | 0). */
  find(ip: number, port: number): number {
    const ports = this.port;
    const ips = this.ip;
    for (let i = this.slotOf(ip, port); ; i = (i + 1) & this.mask) {
      const p = ports[i]!;
      if (p === EMPTY) return -1;
      if (p === port && ips[i] === ip) return i;
    }
  }

  /** Opens (ip, port), which must not be open. */
  add(ip: number, port: number, at: number, outcome: number, rank: number): void {
    if ((this.filled + 1) * 2 > this.mask + 1) this.rebuild();
    let i = this.slotOf(ip, port);
    while (this.port[i]! >= 0) i = (i + 1) & this.mask;
    if (this.port[i] === EMPTY) this.filled++;
    this.ip[i] = ip;
    this.port[i] = port;
    this.at[i] = at;
    this.outcome[i] = outcome;
    this.rank[i] = rank;
    this.size++;
  }

  remove(slot: number): void {
    this.port[slot] = GONE;
    this.size--;
  }

  /** Live slots (for sweep and snapshot). */
  *slots(): Generator<number> {
    for (let i = 0; i <= this.mask; i++) if (this.port[i]! >= 0) yield i;
  }

  /** Drops deleted slots, doubling the capacity when it is more than a quarter full. */
  private rebuild(): void {
    const old = { ip: this.ip, port: this.port, at: this.at, outcome: this.outcome, rank: this.rank };
    let cap = this.mask + 1;
    if (this.size * 4 > cap) cap *= 2;
    this.mask = cap - 1;
    this.shift = 32 - Math.log2(cap);
    this.ip = new Int32Array(cap);
    this.port = new Int32Array(cap).fill(EMPTY);
    this.at = new Float64Array(cap);
    this.outcome = new Int16Array(cap);
    this.rank = new Float64Array(cap);
    this.size = 0;
    this.filled = 0;
    for (let i = 0; i < old.port.length; i++) {
      if (old.port[i]! >= 0) this.add(old.ip[i]!, old.port[i]!, old.at[i]!, old.outcome[i]!, old.rank[i]!);
    }
  }
}
