// Soak: appends generated lines to a file at the seed's rate compressed in time while
// `postino follow` (a real child process) follows it, rotating the file every simulated
// day-quarter, and samples the follower's RSS from /proc. Not a unit test.
//
//   node --import tsx bench/soak.ts [--hours 1] [--speed 20] [--scale 1] [--dir /tmp/soak]
//
// --hours: simulated hours of log; --speed: time compression (20 = one hour in 3 min);
// --scale: 1 = the seed day (~4.9 M lines/day, ~57 lines/s on average).
import { appendFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, existsSync, createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return (i >= 0 ? process.argv[i + 1] : undefined) ?? dflt;
}
const hours = Number(arg('hours', '1'));
const speed = Number(arg('speed', '20'));
const scale = Number(arg('scale', '1'));
const dir = arg('dir', '/tmp/postino-soak');
const startHour = Number(arg('start-hour', '9')); // a busy hour of the day

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'postino.mjs');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const gen = join(dir, 'day.log');
const log = join(dir, 'mail.log');
const db = join(dir, 'soak.db');
writeFileSync(join(dir, 'postino.yml'), 'timezone: Europe/Rome\ndemo: false\n');

function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  console.log(`generating a day at scale ${scale} ...`);
  execFileSync(process.execPath, [BIN, 'generate', '--days', '1', '--scale', String(scale), '--start', '2026-03-02', '--seed', '3', '--tz', 'Europe/Rome', '--out', gen], { stdio: 'inherit' });
  writeFileSync(log, '');
  const child = spawn(process.execPath, [BIN, 'follow', '--db', db, '--config', join(dir, 'postino.yml'), '--year', '2026', '--quiet', '--no-retention', `${log}*`], { stdio: 'inherit' });
  await sleep(3000);
  // Lines of the simulated window, with their log second (from the stamp).
  const from = startHour * 3600;
  const to = from + hours * 3600;
  const rl = createInterface({ input: createReadStream(gen) });
  const t0 = Date.now();
  let pending: string[] = [];
  let written = 0;
  let peak = 0;
  const samples: number[] = [];
  let nextSample = Date.now();
  let rotations = 0;
  let nextRotation = from + 900; // every 15 simulated minutes
  for await (const line of rl) {
    const m = /^\w{3} +\d+ (\d\d):(\d\d):(\d\d)/.exec(line);
    if (!m) continue;
    const s = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
    if (s < from) continue;
    if (s >= to) break;
    const due = t0 + ((s - from) / speed) * 1000;
    if (Date.now() < due) {
      if (pending.length) appendFileSync(log, pending.join('\n') + '\n');
      written += pending.length;
      pending = [];
      if (s >= nextRotation) {
        if (existsSync(`${log}.1`)) rmSync(`${log}.1`);
        renameSync(log, `${log}.1`);
        writeFileSync(log, '');
        rotations++;
        nextRotation += 900;
      }
      await sleep(due - Date.now());
    }
    if (Date.now() >= nextSample) {
      const r = rssKb(child.pid!);
      samples.push(r);
      peak = Math.max(peak, r);
      nextSample = Date.now() + 1000;
    }
    pending.push(line);
  }
  if (pending.length) appendFileSync(log, pending.join('\n') + '\n');
  written += pending.length;
  // Wait until everything is committed.
  const d = new Database(db, { readonly: true });
  for (let i = 0; i < 300; i++) {
    const n = (d.prepare(`SELECT coalesce(sum(lines),0) AS n FROM sources`).get() as { n: number }).n;
    if (n >= written) break;
    await sleep(100);
  }
  const committed = (d.prepare(`SELECT coalesce(sum(lines),0) AS n FROM sources`).get() as { n: number }).n;
  d.close();
  peak = Math.max(peak, rssKb(child.pid!));
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  const q = (p: number) => [...samples].sort((a, b) => a - b)[Math.floor(p * (samples.length - 1))] ?? 0;
  const firstMin = samples.slice(0, 30);
  const lastMin = samples.slice(-30);
  const avg = (a: number[]) => Math.round(a.reduce((x, y) => x + y, 0) / Math.max(1, a.length));
  console.log(
    JSON.stringify({
      simulated_hours: hours,
      speed,
      scale,
      wall_seconds: Math.round((Date.now() - t0) / 1000),
      lines_written: written,
      lines_committed: committed,
      rotations,
      rss_mb: { peak: Math.round(peak / 1024), median: Math.round(q(0.5) / 1024), first_30s_avg: Math.round(avg(firstMin) / 1024), last_30s_avg: Math.round(avg(lastMin) / 1024) },
    }),
  );
}
await main();
