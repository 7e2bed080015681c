// The postscreen lane alone over one generated day, with and without the country tallies, in one
// process, alternating: the reading thread's share of GeoIP's cost, without the ingest thread,
// SQLite and the machine's minute-to-minute swings between processes.
// Usage: tsx bench/geoip-lane.ts [--scale 1] [--runs 5] (the day of bench/geoip-day.ts)
import { readFileSync } from 'node:fs';
import { Correlator } from '../collectors/correlate/correlator';
import { correlatorOptions } from '../collectors/pipeline';
import { countCountries, openGeoIp } from '../collectors/enrich/geoip';
import { yearResolver } from '../collectors/parse/year';
import { parseConfig } from '../core/config/load';
import type { ParseContext } from '../collectors/parse/index';
import { benchArg as arg, geoipDay } from './geoip-day';

const scale = Number(arg('--scale', '1'));
const runs = Number(arg('--runs', '5'));
const buf = readFileSync(await geoipDay(scale));
const config = parseConfig({ database: ':memory:' });
const ctx: ParseContext = { tz: 'Europe/Rome', year: yearResolver({ start: 2026 }, 'Europe/Rome') };
openGeoIp(config.geoip);

/** Seconds to run every line through the lane, draining every 5,000 lines as the ingest does. */
function lane(geo: boolean): number {
  const c = new Correlator(correlatorOptions(config), null, 1, 1);
  if (geo) countCountries(c, config.geoip);
  const t = process.hrtime.bigint();
  let start = 0;
  let n = 0;
  for (let end = buf.indexOf(10, start); end >= 0; end = buf.indexOf(10, start)) {
    c.pushBytes(buf, start, end, ctx);
    start = end + 1;
    if (++n % 5000 === 0) c.drain();
  }
  c.drain();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

lane(true); // the table built, the code optimised
lane(false);
const ratios: number[] = [];
for (let i = 0; i < runs; i++) {
  const [on, off] = i % 2 === 0 ? [lane(true), lane(false)] : ((o) => [lane(true), o])(lane(false));
  ratios.push(on / off);
  process.stdout.write(`run ${i + 1}: on ${on.toFixed(3)} s, off ${off.toFixed(3)} s, ratio ${(on / off).toFixed(3)}\n`);
}
const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)]!;
process.stdout.write(`median on/off ${median.toFixed(3)} (${((median - 1) * 100).toFixed(1)}%)\n`);
