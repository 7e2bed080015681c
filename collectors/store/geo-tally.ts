// Country tallies summed over the batches of one transaction, then written to geo_hour: an hour's
// count of a country and metric takes one upsert per transaction, not one per batch.
import { countryName, type GeoCounts } from '../correlate/country-codes';

/** metric indexes fit in 8 bits, country codes in 10 (country-codes.ts: 680 codes) */
const METRIC_SLOTS = 256;
const CODE_SLOTS = 1024;

export class GeoTally {
  /** ((hour / 3600) × CODE_SLOTS + code) × METRIC_SLOTS + metric → n, exact in a double */
  private readonly n = new Map<number, number>();
  private readonly metricNames: string[] = [];
  private readonly metricIndex = new Map<string, number>();

  add(g: GeoCounts): void {
    if (g.counts.length === 0) return;
    // the sender's metric numbers → ours
    const mine = g.metrics.map((name) => {
      let i = this.metricIndex.get(name);
      if (i === undefined) {
        i = this.metricNames.push(name) - 1;
        if (i >= METRIC_SLOTS) throw new Error(`geo tally: more than ${METRIC_SLOTS} metrics`);
        this.metricIndex.set(name, i);
      }
      return i;
    });
    const c = g.counts;
    for (let i = 0; i < c.length; i += 4) {
      const key = ((c[i]! / 3600) * CODE_SLOTS + c[i + 1]!) * METRIC_SLOTS + mine[c[i + 2]!]!;
      this.n.set(key, (this.n.get(key) ?? 0) + c[i + 3]!);
    }
  }

  /** Each count as (hour, country, metric, n). */
  *rows(): Generator<[number, string, string, number]> {
    for (const [key, n] of this.n) {
      const metric = key % METRIC_SLOTS;
      const rest = (key - metric) / METRIC_SLOTS;
      const code = rest % CODE_SLOTS;
      yield [((rest - code) / CODE_SLOTS) * 3600, countryName(code), this.metricNames[metric]!, n];
    }
  }

  clear(): void {
    this.n.clear();
  }
}
