// Ingests one file into a fresh database and reports its own time and peak RSS as JSON.
// Run as a separate process so that the RSS is the collector's alone.
import { rmSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { openDb } from '../server/db/open';
import { parseConfig } from '../server/config/load';
import { Pipeline } from '../collectors/pipeline';
import { statSync } from 'node:fs';
import { deferIndexes, restoreIndexes, worthDeferring } from '../server/db/deferred-indexes';

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
const deferred = process.env.POSTINO_DEFER_INDEXES !== '0' && worthDeferring(db, statSync(file).size) && deferIndexes(db) > 0;
const pipeline = new Pipeline(db, config, { ingestThread: process.env.POSTINO_INGEST_THREAD !== '0' });
const totals = await pipeline.ingestFile(file);
await pipeline.close();
if (deferred) restoreIndexes(db);
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
