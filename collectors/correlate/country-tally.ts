// Postscreen connections and outcomes per hour and client country. The country is resolved
// when a batch is drained, as a code (country-codes.ts) through the GeoIP of collectors/enrich:
// the tallies then carry countries, never addresses, and no row per connection or per address
// is written.
//
// An IPv4 client's count waits in a buffer until the drain, which resolves the whole batch's
// addresses in one loop. A look-up misses the processor's cache (the addresses are scattered
// over the table); resolved one at a time, as each connection came, every miss stalled the
// lane until it was served, while a loop of independent look-ups has many misses served at once
// (docs/benchmark.md).
import type { GeoCounts } from './country-codes';

/** Names the country of a client as a code (country-codes.ts). */
export interface CountryResolver {
  /** the code of each of the first `n` IPv4 addresses (int32) of `ips`, into `codes` */
  codesV4(ips: Int32Array, n: number, codes: Uint16Array): void;
  code(ip: string): number;
}

/** A client as the tracker holds it: an IPv4 int32, or the text key `ip]:port`. */
export type ClientOf = number | string;

/** counts by metric id, per country code */
type HourCells = Array<number[] | undefined>;

/** IPv4 counts not yet resolved: address, hour (in hours since the epoch) and metric of each. */
class PendingV4 {
  ip = new Int32Array(8192);
  hour = new Int32Array(8192);
  metric = new Uint8Array(8192);
  codes = new Uint16Array(8192);
  n = 0;

  push(ip: number, hour: number, metric: number): void {
    if (this.n === this.ip.length) this.grow();
    const i = this.n++;
    this.ip[i] = ip;
    this.hour[i] = hour;
    this.metric[i] = metric;
  }

  private grow(): void {
    const cap = this.ip.length * 2;
    const ip = new Int32Array(cap);
    const hour = new Int32Array(cap);
    const metric = new Uint8Array(cap);
    ip.set(this.ip);
    hour.set(this.hour);
    metric.set(this.metric);
    this.ip = ip;
    this.hour = hour;
    this.metric = metric;
    this.codes = new Uint16Array(cap);
  }
}

/** Tallies of a batch: hour → country code → counts by the tracker's metric id. */
export class CountryTally {
  private cells = new Map<number, HourCells>();
  private hour = -1;
  private current: HourCells | null = null;
  private readonly pending = new PendingV4();

  constructor(private readonly resolver: CountryResolver) {}

  /** Adds one to metric `id` (below 256) of the client's country for the hour of `at`. */
  count(at: number, client: ClientOf, id: number): void {
    if (typeof client === 'number') this.pending.push(client, Math.floor(at / 3600), id);
    else this.add(Math.floor(at / 3600) * 3600, this.resolver.code(client.slice(0, client.lastIndexOf(']:'))), id);
  }

  private add(hour: number, ci: number, id: number): void {
    let cells = this.current;
    if (cells === null || this.hour !== hour) {
      cells = this.cells.get(hour) ?? null;
      if (cells === null) this.cells.set(hour, (cells = []));
      this.hour = hour;
      this.current = cells;
    }
    let cell = cells[ci];
    if (cell === undefined) cells[ci] = cell = [];
    while (cell.length <= id) cell.push(0);
    cell[id]!++;
  }

  /** Moves the counts into a batch's country tallies; `touch` hears each hour counted in. */
  drainInto(out: GeoCounts, metricName: (id: number) => string, touch: (hour: number) => void): void {
    const p = this.pending;
    if (p.n > 0) {
      this.resolver.codesV4(p.ip, p.n, p.codes);
      for (let i = 0; i < p.n; i++) this.add(p.hour[i]! * 3600, p.codes[i]!, p.metric[i]!);
      p.n = 0;
    }
    const counts = out.counts;
    for (const [hour, countries] of this.cells) {
      touch(hour);
      for (let ci = 0; ci < countries.length; ci++) {
        const cell = countries[ci];
        if (cell === undefined) continue;
        for (let id = 0; id < cell.length; id++) {
          const n = cell[id]!;
          if (n === 0) continue;
          while (out.metrics.length <= id) out.metrics.push(metricName(out.metrics.length));
          counts.push(hour, ci, id, n);
        }
      }
    }
    this.cells = new Map();
    this.hour = -1;
    this.current = null;
  }
}
