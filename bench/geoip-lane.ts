// The postscreen lane alone over one generated day, with and without the country tallies, in one
// process: the reading thread's share of GeoIP's cost, without the ingest thread, SQLite and the
// machine's swings between processes. Two correlators (on, off) take the day in turns, a slice
// of 20,000 lines at a time and alternating which goes first, so that a swing of the machine's
// speed falls on both alike. Usage: tsx bench/geoip-lane.ts [--scale 1] [--runs 5] [--ipv6 0.2]
import { readFileSync } from 'node:fs';
import { Correlator } from '../collectors/correlate/correlator';
import { correlatorOptions } from '../collectors/pipeline';
import { countCountries, openGeoIp } from '../collectors/enrich/geoip';
import { yearResolver } from '../collectors/parse/year';
import { parseConfig } from '../core/config/load';
import type { ParseContext } from '../collectors/parse/index';
import { benchArg as arg, geoipDay } from './geoip-day';
import { median, medianInterval } from './stats';

const scale = Number(arg('--scale', '1'));
const runs = Number(arg('--runs', '5'));
const buf = readFileSync(await geoipDay(scale, Number(arg('--ipv6', '0'))));
const config = parseConfig({ database: ':memory:' });
const ctx: ParseContext = { tz: 'Europe/Rome', year: yearResolver({ start: 2026 }, 'Europe/Rome') };
const SLICE = 20_000;
const DRAIN = 5_000; // lines between drains, as the ingest's batches

/** Line ends of the day, found once. */
const ends: number[] = [];
for (let end = buf.indexOf(10); end >= 0; end = buf.indexOf(10, end + 1)) ends.push(end);

function correlator(geo: boolean): Correlator {
  const c = new Correlator(correlatorOptions(config), null, 1, 1);
  if (geo) countCountries(c, config.geoip);
  return c;
}

/** Seconds `c` takes over lines [from, to), draining every DRAIN lines. */
function slice(c: Correlator, from: number, to: number): number {
  const t = process.hrtime.bigint();
  let start = from === 0 ? 0 : ends[from - 1]! + 1;
  for (let i = from; i < to; i++) {
    c.pushBytes(buf, start, ends[i]!, ctx);
    start = ends[i]! + 1;
    if ((i + 1) % DRAIN === 0) c.drain();
  }
  if (to === ends.length) c.drain();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

/** One pass over the day by both: seconds with the tallies on and off. */
function run(): { on: number; off: number } {
  const on = correlator(true);
  const off = correlator(false);
  let tOn = 0;
  let tOff = 0;
  for (let from = 0, k = 0; from < ends.length; from += SLICE, k++) {
    const to = Math.min(from + SLICE, ends.length);
    if (k % 2 === 0) {
      tOn += slice(on, from, to);
      tOff += slice(off, from, to);
    } else {
      tOff += slice(off, from, to);
      tOn += slice(on, from, to);
    }
  }
  return { on: tOn, off: tOff };
}

openGeoIp(config.geoip)!.codeV4(0x08080808); // the table built once, as a process does at its first look-up
run(); // the code optimised
const ratios: number[] = [];
for (let i = 0; i < runs; i++) {
  const { on, off } = run();
  ratios.push(on / off);
  process.stdout.write(`run ${i + 1}: on ${on.toFixed(3)} s, off ${off.toFixed(3)} s, ratio ${(on / off).toFixed(3)}\n`);
}
const m = median(ratios);
const ci = medianInterval(ratios);
process.stdout.write(`median on/off ${m.toFixed(3)} (${((m - 1) * 100).toFixed(1)}%)${ci ? `, 95% interval ${ci[0].toFixed(3)} to ${ci[1].toFixed(3)}` : ''}\n`);
