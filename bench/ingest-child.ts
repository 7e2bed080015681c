// Ingests one file into a fresh database and reports its own time and peak RSS as JSON.
// Run as a separate process so that the RSS is the collector's alone.
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { openDb } from '../core/db/open';
import { parseConfig } from '../core/config/load';
import { Pipeline } from '../collectors/pipeline';
import { statSync } from 'node:fs';
import { withDeferredIndexes } from '../core/db/deferred-indexes';

/** CPU seconds of this process's threads, from /proc (Linux): this one first, then the busiest. */
function threadCpuSeconds(): number[] {
  try {
    const tick = 100; // USER_HZ
    const cpu = (tid: string): number => {
      const f = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const v = f.slice(f.lastIndexOf(')') + 2).split(' ');
      return (Number(v[11]) + Number(v[12])) / tick;
    };
    const tids = readdirSync('/proc/self/task');
    const self = String(process.pid);
    const others = tids.filter((t) => t !== self).map(cpu).sort((a, b) => b - a).slice(0, 3);
    return [cpu(self), ...others];
  } catch {
    return [];
  }
}

/** CPU seconds of the whole process so far, all threads. */
function cpuSeconds(): number {
  const u = process.resourceUsage();
  return (u.userCPUTime + u.systemCPUTime) / 1e6;
}

// As bin/postino.mjs does, so that the bench measures what users run.
setFlagsFromString('--heap-growing-percent=50');

const [file, dbPath] = process.argv.slice(2);
if (!file || !dbPath) {
  process.stderr.write('usage: ingest-child FILE DB\n');
  process.exit(2);
}
for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
// POSTINO_GEOIP=0: without the country tallies (bench/geoip.ts compares both)
const config = parseConfig({ database: dbPath, geoip: { enabled: process.env.POSTINO_GEOIP !== '0' } });
const db = openDb(dbPath);
const t0 = process.hrtime.bigint();
// As `postino ingest` does (server/cli/ingest.ts): a large input into an empty database builds
// its indexes at the end; that build is inside the measured time.
const pipeline = await withDeferredIndexes(db, process.env.POSTINO_DEFER_INDEXES === '0' ? null : statSync(file).size, async () => {
  const p = new Pipeline(db, config, { ingestThread: process.env.POSTINO_INGEST_THREAD !== '0' });
  try {
    await p.ingestFile(file);
  } finally {
    await p.close();
  }
  return p;
});
const totals = pipeline.totals;
const threads = threadCpuSeconds();
const tIngest = Number(process.hrtime.bigint() - t0) / 1e9;
const cpuIngest = cpuSeconds();
pipeline.flushRollups();
const tAll = Number(process.hrtime.bigint() - t0) / 1e9;
db.close();
process.stdout.write(
  JSON.stringify({
    lines: totals.lines,
    unparsed: totals.unparsed,
    ingestSeconds: tIngest,
    totalSeconds: tAll,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    /** every thread's CPU to the end of the ingest (start-up included), then with the rollups */
    ingestCpuSeconds: cpuIngest,
    cpuSeconds: cpuSeconds(),
    // the reading thread and the busiest other threads (the ingest thread first), before rollups
    threadCpuSeconds: threads,
    ingestThreadCpuSeconds: pipeline.ingestThreadCpuSeconds,
  }) + '\n',
);
