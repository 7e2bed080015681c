// Ingest speed with GeoIP on against off (acceptance: within 5%). Paired runs of the real
// ingest process (bench/ingest-child.mjs) on the same generated day, alternating which goes
// first; prints each pair and the median ratio. Usage: tsx bench/geoip.ts [--scale 0.1] [--pairs 5] [--ipv6 0.2]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BENCH_DIR as dir, benchArg as arg, geoipDay } from './geoip-day';
import { median, medianInterval } from './stats';

const scale = Number(arg('--scale', '0.1'));
const pairs = Number(arg('--pairs', '5'));
const log = await geoipDay(scale, Number(arg('--ipv6', '0')));

interface ChildResult {
  ingestSeconds: number;
  ingestCpuSeconds: number;
  lines: number;
}

function ingest(geoip: boolean): ChildResult {
  const r = spawnSync(process.execPath, [join('bench', 'ingest-child.mjs'), log, join(dir, `geoip-${geoip ? 'on' : 'off'}.db`)], {
    encoding: 'utf8',
    env: { ...process.env, POSTINO_GEOIP: geoip ? '1' : '0' },
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as ChildResult;
}

ingest(true); // warm the bundle cache and the page cache
// Wall time is the ingest speed; CPU seconds (every thread, to the end of the ingest: the rollups
// after it are left out of both) say how much work GeoIP adds on either thread.
const wall: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < pairs; i++) {
  const order = i % 2 === 0 ? [false, true] : [true, false];
  const t: Record<string, ChildResult> = {};
  for (const on of order) t[on ? 'on' : 'off'] = ingest(on);
  const [off, on] = [t.off!, t.on!];
  wall.push(on.ingestSeconds / off.ingestSeconds);
  cpu.push(on.ingestCpuSeconds / off.ingestCpuSeconds);
  process.stdout.write(`pair ${i + 1}: wall off ${off.ingestSeconds.toFixed(3)} s, on ${on.ingestSeconds.toFixed(3)} s; cpu off ${off.ingestCpuSeconds.toFixed(3)} s, on ${on.ingestCpuSeconds.toFixed(3)} s\n`);
}
const pct = (x: number): string => `${((x - 1) * 100).toFixed(1)}%`;
const interval = (xs: number[]): string => {
  const ci = medianInterval(xs);
  return ci ? `, 95% interval ${pct(ci[0])} to ${pct(ci[1])}` : '';
};
process.stdout.write(
  `scale ${scale}, ${pairs} pairs: median on/off wall ${median(wall).toFixed(3)} (${pct(median(wall))}${interval(wall)}), cpu ${median(cpu).toFixed(3)} (${pct(median(cpu))}${interval(cpu)})\n`,
);
