// Country tallies summed over the batches of one transaction, then written to geo_hour: an hour's
// count of a country and metric takes one upsert per transaction, not one per batch.
import { COUNTRY_CODES, countryName, type GeoCounts } from '../correlate/country-codes';

/**
 * One hour's counts in one flat array, (country code × metric slots + metric) → n: a
 * transaction sums about 40,000 counts into a few thousand cells, each an add at a computed
 * place (a Map keyed by hour, country and metric hashed a double for each). `touched` lists the
 * cells in use, in the order they were first counted.
 */
interface HourCounts {
  n: Float64Array;
  touched: number[];
}

export class GeoTally {
  private readonly hours = new Map<number, HourCounts>();
  /** metric slots per country in each hour's array: grows (doubling) with the metrics seen */
  private slots = 16;
  private readonly metricNames: string[] = [];
  private readonly metricIndex = new Map<string, number>();

  add(g: GeoCounts): void {
    if (g.counts.length === 0) return;
    // the sender's metric numbers → ours
    const mine = g.metrics.map((name) => {
      let i = this.metricIndex.get(name);
      if (i === undefined) {
        i = this.metricNames.push(name) - 1;
        this.metricIndex.set(name, i);
        if (i >= this.slots) this.widen();
      }
      return i;
    });
    const c = g.counts;
    const slots = this.slots;
    let hour = NaN;
    let cells: HourCounts | undefined;
    for (let i = 0; i < c.length; i += 4) {
      if (cells === undefined || c[i] !== hour) {
        hour = c[i]!;
        cells = this.hours.get(hour);
        if (cells === undefined) this.hours.set(hour, (cells = { n: new Float64Array(COUNTRY_CODES * slots), touched: [] }));
      }
      const at = c[i + 1]! * slots + mine[c[i + 2]!]!;
      const was = cells.n[at]!;
      if (was === 0) cells.touched.push(at);
      cells.n[at] = was + c[i + 3]!;
    }
  }

  /** Each count as (hour, country, metric, n). */
  *rows(): Generator<[number, string, string, number]> {
    for (const [hour, { n, touched }] of this.hours) {
      for (const at of touched) {
        const metric = at % this.slots;
        yield [hour, countryName((at - metric) / this.slots), this.metricNames[metric]!, n[at]!];
      }
    }
  }

  clear(): void {
    this.hours.clear();
  }

  /** Twice the metric slots, the counts moved to their new places. */
  private widen(): void {
    const from = this.slots;
    this.slots *= 2;
    for (const [hour, { n, touched }] of this.hours) {
      const wide = new Float64Array(COUNTRY_CODES * this.slots);
      const moved = touched.map((at) => {
        const metric = at % from;
        const to = ((at - metric) / from) * this.slots + metric;
        wide[to] = n[at]!;
        return to;
      });
      this.hours.set(hour, { n: wide, touched: moved });
    }
  }
}
