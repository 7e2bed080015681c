// Rotation while lines are appended at 2,000 lines/s, followed by a real `postino follow`
// child process: afterwards the figures equal those of a one-shot ingest of the same lines.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { appendFileSync, copyFileSync, readFileSync, renameSync, truncateSync, unlinkSync, writeFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { tmpDir, generatedLines, oneShot, figuresOf, progress, postino, writeConfigFile, waitFor, sleep, YEAR } from '../helpers/follow-env';
import { openDb } from '../../core/db/open';

const RATE = 2000; // lines per second
const TICK_MS = 50;
const N = 12_000;

let env: ReturnType<typeof tmpDir>;
let lines: string[];

beforeAll(async () => {
  env = tmpDir('rotation');
  lines = (await generatedLines(0.02, env.dir)).slice(0, N);
});
afterAll(() => env.cleanup());

type Rotation = 'rename' | 'copytruncate';

/** Writes `lines` to dir/mail.log at RATE, rotating at the given fractions; returns when done. */
async function writeWithRotations(dir: string, how: Rotation, at: number[]): Promise<number> {
  const log = join(dir, 'mail.log');
  writeFileSync(log, '');
  const per = Math.round((RATE * TICK_MS) / 1000);
  const rotateAt = at.map((f) => Math.floor(f * lines.length));
  let rotations = 0;
  const t0 = Date.now();
  for (let i = 0; i < lines.length; i += per) {
    if (rotateAt.some((r) => r >= i && r < i + per)) {
      rotations++;
      if (how === 'rename') {
        // logrotate with delaycompress: .1 → .2.gz, mail.log → .1, create mail.log
        if (existsSync(`${log}.1`)) {
          writeFileSync(`${log}.2.gz`, gzipSync(readFileSync(`${log}.1`)));
          unlinkSync(`${log}.1`);
        }
        renameSync(log, `${log}.1`);
        writeFileSync(log, '');
      } else {
        copyFileSync(log, `${log}.1`);
        truncateSync(log, 0);
      }
    }
    appendFileSync(log, lines.slice(i, i + per).join('\n') + '\n');
    const due = t0 + ((i + per) / RATE) * 1000;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
  }
  return rotations;
}

async function followWhileRotating(how: Rotation, pattern: 'glob' | 'path'): Promise<void> {
  const dir = join(env.dir, `${how}-${pattern}`);
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dir);
  const dbPath = join(dir, 'follow.db');
  const cfg = writeConfigFile(dir);
  const target = pattern === 'glob' ? join(dir, 'mail.log*') : join(dir, 'mail.log');
  writeFileSync(join(dir, 'mail.log'), '');
  const child = postino(['follow', '--db', dbPath, '--config', cfg, '--year', String(YEAR), '--poll-ms', '100', '--no-retention', target]);
  await waitFor(() => child.stderr().includes('following'), 20_000, () => `the follower to start: ${child.stderr()}`);
  const rotations = await writeWithRotations(dir, how, [0.3, 0.7]);
  expect(rotations).toBe(2);
  const t0 = Date.now();
  // Live lag: the last line appended → its figures in the rollups.
  const lag = await waitFor(
    () => {
      const p = progress(dbPath);
      return p.lines >= lines.length && p.dirty === 0;
    },
    10_000,
    'all lines committed and rolled up',
  );
  console.log(`${how}/${pattern}: caught up ${Date.now() - t0} ms after the last append`);
  expect(lag).toBeLessThan(2000);
  child.proc.kill('SIGTERM');
  const exit = await child.exit;
  expect(exit.code, child.stderr()).toBe(0);
  expect(child.stderr()).toContain('stopped cleanly');

  const followed = openDb(dbPath);
  const clean = await oneShot(lines, dir);
  try {
    const a = figuresOf(followed);
    const b = figuresOf(clean);
    expect(a.counts.connections).toBeGreaterThan(0);
    expect(a).toEqual(b);
    const total = (followed.prepare(`SELECT sum(lines) AS n FROM sources`).get() as { n: number }).n;
    expect(total).toBe(lines.length);
  } finally {
    followed.close();
    clean.close();
  }
}

describe('postino follow during rotation at 2,000 lines/s', () => {
  it('rename+create (and .1 → .2.gz), following mail.log*', async () => {
    await followWhileRotating('rename', 'glob');
  }, 60_000);

  it('rename+create, following only mail.log (the old inode is drained through its open descriptor)', async () => {
    await followWhileRotating('rename', 'path');
  }, 60_000);

  it('a burst of 5,000 lines in one second is in the rollups within 2 s', async () => {
    const dir = join(env.dir, 'burst');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    const dbPath = join(dir, 'burst.db');
    const log = join(dir, 'mail.log');
    writeFileSync(log, '');
    const child = postino(['follow', '--db', dbPath, '--config', writeConfigFile(dir), '--year', String(YEAR), '--no-retention', log]);
    await waitFor(() => child.stderr().includes('following'), 20_000, () => `the follower to start: ${child.stderr()}`);
    const burst = lines.slice(0, 5000);
    for (let i = 0; i < 10; i++) {
      appendFileSync(log, burst.slice(i * 500, (i + 1) * 500).join('\n') + '\n');
      await sleep(100);
    }
    const lag = await waitFor(() => {
      const p = progress(dbPath);
      return p.lines >= 5000 && p.dirty === 0;
    }, 10_000, 'the burst in the rollups');
    console.log(`burst: in the rollups ${lag} ms after the last append (default 250 ms poll)`);
    expect(lag).toBeLessThan(2000);
    child.proc.kill('SIGTERM');
    expect((await child.exit).code).toBe(0);
  }, 60_000);

  it('copytruncate, following mail.log*', async () => {
    await followWhileRotating('copytruncate', 'glob');
  }, 60_000);
});
