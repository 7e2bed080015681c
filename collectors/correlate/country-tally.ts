// Postscreen connections and outcomes per hour and client country. The country is resolved
// when a connection is counted, as a code (country-codes.ts) through the GeoIP of
// collectors/enrich: the tallies then carry countries, never addresses, and no row per
// connection or per address is written.
import type { GeoCounts } from './country-codes';

/** Names the country of a client as a code (country-codes.ts). */
export interface CountryResolver {
  codeV4(ip32: number): number;
  code(ip: string): number;
}

/** A client as the tracker holds it: an IPv4 int32, or the text key `ip]:port`. */
export type ClientOf = number | string;

/** counts by metric id, per country code */
type HourCells = Array<number[] | undefined>;

/** Tallies of a batch: hour → country code → counts by the tracker's metric id. */
export class CountryTally {
  private cells = new Map<number, HourCells>();
  private hour = -1;
  private current: HourCells | null = null;

  constructor(private readonly resolver: CountryResolver) {}

  /** The code of the client's country: a connection keeps it from CONNECT to its outcome. */
  codeOf(client: ClientOf): number {
    return typeof client === 'number' ? this.resolver.codeV4(client) : this.resolver.code(client.slice(0, client.lastIndexOf(']:')));
  }

  /** Adds one to metric `id` of country code `ci` (a codeOf) for the hour of `at`. */
  count(at: number, ci: number, id: number): void {
    const hour = Math.floor(at / 3600) * 3600;
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
