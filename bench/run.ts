// `npm run bench`: ingest throughput and memory on a seed-scale day, compared with
// pflogsumm when it is installed, then API latency. Prints figures; asserts nothing.
import { existsSync, mkdirSync, statSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { generateToFile } from '../collectors/generate/index';
import { bundleFile } from '../bin/bundle-cache.mjs';
import { median } from './stats';

const dir = join(process.cwd(), 'bench-data');
mkdirSync(dir, { recursive: true });
const scale = Number(process.env.BENCH_SCALE ?? '1');
const logFile = join(dir, `seed-day-scale${scale}.log`);
const metaFile = `${logFile}.json`;

async function ensureLog(): Promise<{ lines: number }> {
  if (existsSync(logFile) && existsSync(metaFile)) return JSON.parse(readFileSync(metaFile, 'utf8')) as { lines: number };
  process.stdout.write(`generating a seed-scale day (scale ${scale}) into ${logFile} ...\n`);
  const t0 = Date.now();
  const r = await generateToFile({ start: '2026-03-10', days: 1, scale, tz: 'Europe/Rome', seed: 42, outagePlan: 'default' }, logFile);
  process.stdout.write(`  ${r.lines.toLocaleString('en-US')} lines in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  writeFileSync(metaFile, JSON.stringify({ lines: r.lines, truth: r.truth }));
  return { lines: r.lines };
}

interface IngestRun {
  lines: number;
  /** in the child: from the open database to the last row and index written */
  ingestSeconds: number;
  /** the same, and the rollups */
  totalSeconds: number;
  /** the whole child process, from spawn to exit (start-up, database creation and close too) */
  processSeconds: number;
  maxRssMB: number;
}

function runIngest(): IngestRun {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['bench/ingest-child.mjs', logFile, join(dir, 'bench.db')], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const processSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`ingest failed: ${r.stderr}`);
  return { ...(JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Omit<IngestRun, 'processSeconds'>), processSeconds };
}

function runPflogsumm(): number | null {
  const which = spawnSync('sh', ['-c', 'command -v pflogsumm'], { encoding: 'utf8' });
  if (which.status !== 0) return null;
  const t0 = process.hrtime.bigint();
  const r = spawnSync('pflogsumm', [logFile], { stdio: ['ignore', 'ignore', 'ignore'] });
  if (r.status !== 0) return null;
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

const runs = Number(process.env.BENCH_RUNS ?? '3');
if (!Number.isInteger(runs) || runs < 1) {
  process.stderr.write(`BENCH_RUNS: expected a whole number >= 1, got "${process.env.BENCH_RUNS}"\n`);
  process.exit(2);
}
const meta = await ensureLog();
// Built (or found up to date) before any run is timed.
bundleFile({ entry: 'bench/ingest-child.ts', name: 'bench-ingest-child', format: 'esm', external: 'packages' });
const size = statSync(logFile).size;
// This machine's speed varies between runs (a shared VM: 20-40% from one minute to the next), so
// ingest and pflogsumm run in turns, BENCH_RUNS times, and each ratio compares neighbours. The
// ratio compares whole processes: pflogsumm's time includes its start-up and its report, so
// postino's includes its start-up, the index build, the rollups and closing the database.
const ratios: number[] = [];
/** the same against the in-process ingest time alone (the measure before 2026-12-01) */
const ingestRatios: number[] = [];
let pflogsummMissing = false;
for (let i = 1; i <= runs; i++) {
  const ing = runIngest();
  const lps = ing.lines / ing.ingestSeconds;
  process.stdout.write(
    `\nrun ${i}/${runs}\ningest: ${ing.lines.toLocaleString('en-US')} lines (${(size / 1e6).toFixed(0)} MB) in ${ing.ingestSeconds.toFixed(2)} s` +
      ` = ${Math.round(lps).toLocaleString('en-US')} lines/s; with rollups ${ing.totalSeconds.toFixed(2)} s;` +
      ` whole process ${ing.processSeconds.toFixed(2)} s; peak RSS ${ing.maxRssMB.toFixed(0)} MB\n`,
  );
  const pfl = pflogsummMissing ? null : runPflogsumm();
  if (pfl === null) {
    pflogsummMissing = true;
    process.stdout.write('pflogsumm: not installed (apt-get install pflogsumm to compare)\n');
    continue;
  }
  ratios.push(pfl / ing.processSeconds);
  ingestRatios.push(pfl / ing.ingestSeconds);
  process.stdout.write(
    `pflogsumm: ${pfl.toFixed(2)} s = ${Math.round(meta.lines / pfl).toLocaleString('en-US')} lines/s; postino is ${(pfl / ing.processSeconds).toFixed(2)}x faster, process to process (while writing SQLite);` +
      ` ${(pfl / ing.ingestSeconds).toFixed(2)}x against the ingest alone\n`,
  );
}
/** `median (each, sorted)` of some ratios */
function medianOf(rs: number[]): string {
  return `median ${median(rs).toFixed(2)}x (${[...rs].sort((a, b) => a - b).map((r) => r.toFixed(2)).join(', ')})`;
}
if (ratios.length > 0) {
  process.stdout.write(`\npflogsumm / postino over ${ratios.length} run(s), process to process: ${medianOf(ratios)}\n`);
  process.stdout.write(`against the ingest alone (start-up, rollups and close left out): ${medianOf(ingestRatios)}\n`);
}

// BENCH_API=0 leaves out the API part (its database is ~6 GB to build the first time)
if (process.env.BENCH_API !== '0' && existsSync(join(process.cwd(), 'bench', 'api-latency.ts'))) {
  const { benchApi } = (await import('./api-latency')) as { benchApi: () => Promise<Record<string, number>> };
  const api = await benchApi();
  process.stdout.write(`api: ${JSON.stringify(api)}\n`);
}
