// Postscreen connections and outcomes per hour and client country. The country is resolved
// when a connection is counted, through a resolver that caches per address (the GeoIP of
// collectors/enrich): the tallies then carry countries, never addresses, and no row per
// connection or per address is written.
import type { Tallies } from './postscreen-tracker';

/** Names the country of a client: an ISO code or a label (private, site, ...). */
export interface CountryResolver {
  countryV4(ip32: number): string;
  country(ip: string): string;
}

/** A client as the tracker holds it: an IPv4 int32, or the text key `ip]:port`. */
export type ClientOf = number | string;

/** Tallies of a batch: hour → country → counts by the tracker's metric id. */
export class CountryTally {
  private cells = new Map<number, Map<string, number[]>>();
  private hour = -1;
  private current: Map<string, number[]> | null = null;

  constructor(private readonly resolver: CountryResolver) {}

  /** Countries by index: a connection keeps its country's index from CONNECT to its outcome. */
  private readonly names: string[] = [];
  private readonly index = new Map<string, number>();

  /** The index of the client's country (one look-up). */
  indexOf(client: ClientOf): number {
    const r = this.resolver;
    const country = typeof client === 'number' ? r.countryV4(client) : r.country(client.slice(0, client.lastIndexOf(']:')));
    let i = this.index.get(country);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(country);
      this.index.set(country, i);
    }
    return i;
  }

  /** Adds one to metric `id` of country `ci` (an indexOf) for the hour of `at`. */
  count(at: number, ci: number, id: number): void {
    const cell = this.cellOf(at, this.names[ci]!);
    while (cell.length <= id) cell.push(0);
    cell[id]!++;
  }

  private cellOf(at: number, country: string): number[] {
    const hour = Math.floor(at / 3600) * 3600;
    let cells = this.current;
    if (cells === null || this.hour !== hour) {
      cells = this.cells.get(hour) ?? null;
      if (cells === null) this.cells.set(hour, (cells = new Map()));
      this.hour = hour;
      this.current = cells;
    }
    let cell = cells.get(country);
    if (cell === undefined) cells.set(country, (cell = []));
    return cell;
  }

  /**
   * Moves the counts into a batch's tallies, as host `*` and metric `geo:<country>:<metric>` at
   * the hour's start: they travel with the per-minute tallies (through the ingest thread too),
   * and the store writes them to geo_hour, not connection_tally.
   */
  drainInto(out: Tallies, metricName: (id: number) => string): void {
    for (const [hour, countries] of this.cells) {
      let byHost = out.get(hour);
      if (byHost === undefined) out.set(hour, (byHost = new Map()));
      const metrics = byHost.get('*') ?? new Map<string, number>();
      byHost.set('*', metrics);
      for (const [country, cell] of countries) {
        for (let id = 0; id < cell.length; id++) {
          const n = cell[id]!;
          if (n > 0) metrics.set(`geo:${country}:${metricName(id)}`, (metrics.get(`geo:${country}:${metricName(id)}`) ?? 0) + n);
        }
      }
    }
    this.cells = new Map();
    this.hour = -1;
    this.current = null;
  }
}
