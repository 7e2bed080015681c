// Ingests one file into a fresh database and reports its own time and peak RSS as JSON.
// Run as a separate process so that the RSS is the collector's alone.
import { rmSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { openDb } from '../server/db/open';
import { parseConfig } from '../server/config/load';
import { Pipeline } from '../collectors/pipeline';
import { statSync } from 'node:fs';
import { withDeferredIndexes } from '../server/db/deferred-indexes';

// As bin/postino.mjs does, so that the bench measures what users run.
setFlagsFromString('--heap-growing-percent=50');

const [file, dbPath] = process.argv.slice(2);
if (!file || !dbPath) {
  process.stderr.write('usage: ingest-child FILE DB\n');
  process.exit(2);
}
for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
const config = parseConfig({ database: dbPath });
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
const tIngest = Number(process.hrtime.bigint() - t0) / 1e9;
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
    cpuSeconds: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1e6,
  }) + '\n',
);
