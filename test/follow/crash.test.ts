// Crash safety: `postino follow` is killed with SIGKILL at 20 random moments of a large
// ingest and restarted each time; then stopped once with SIGTERM mid-run (exit 0), and run
// to the end. The final figures and row counts equal a clean one-shot ingest: 0 lines lost,
// 0 counted twice.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpDir, generatedLines, oneShot, figuresOf, progress, postino, writeConfigFile, waitFor, sleep, YEAR } from '../helpers/follow-env';
import { openDb } from '../../core/db/open';
import { Rng } from '../../collectors/generate/prng';

const KILLS = 20;

let env: ReturnType<typeof tmpDir>;
let lines: string[];

beforeAll(async () => {
  env = tmpDir('crash');
  lines = await generatedLines(0.02, env.dir);
});
afterAll(() => env.cleanup());


describe('postino follow killed with SIGKILL 20 times', () => {
  it('ends with the figures of a clean ingest', async () => {
    const dir = env.dir;
    const file = join(dir, 'mail.log');
    writeFileSync(file, lines.join('\n') + '\n');
    const size = statSync(file).size;
    const dbPath = join(dir, 'crash.db');
    const cfg = writeConfigFile(dir);
    const args = ['follow', '--db', dbPath, '--config', cfg, '--year', String(YEAR), '--poll-ms', '100', '--no-retention', file];
    // Small batches, so that there are many commits for the kills to land between and inside.
    const childEnv = { POSTINO_BATCH_LINES: '700', POSTINO_SLICE_BYTES: '150000' };
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1e9);
    // Deterministic, so a failure can be replayed (the seed is printed).
    const prng = new Rng(seed);
    const rnd = (): number => prng.next();
    console.log(`crash test seed ${seed} (CRASH_SEED=${seed} to replay), ${lines.length} lines, ${size} bytes`);
    // Kill points spread over the run: one random byte position in each twentieth of the file (a
    // child that overshoots its target would otherwise often overshoot the next one too, and be
    // killed again where it stood).
    const targets = Array.from({ length: KILLS }, (_, i) => ((i + rnd()) / KILLS) * size * 0.95);
    const killedAt: number[] = [];
    for (const target of targets) {
      const child = postino(args, childEnv);
      await waitFor(() => progress(dbPath).offset >= target || child.proc.exitCode !== null, 60_000, () => `offset ${target}: ${child.stderr()}`, 10);
      await sleep(rnd() * 40); // a random moment, inside or between commits
      child.proc.kill('SIGKILL');
      const exit = await child.exit;
      expect(exit.signal, child.stderr()).toBe('SIGKILL');
      killedAt.push(progress(dbPath).offset);
    }
    console.log(`killed at offsets ${killedAt.join(', ')}`);
    expect(new Set(killedAt).size).toBeGreaterThan(KILLS / 2);

    // SIGTERM during a catch-up: the current batch is committed and the exit is clean.
    if (progress(dbPath).offset < size) {
      const child = postino(args, childEnv);
      const before = progress(dbPath).offset;
      await waitFor(() => progress(dbPath).offset > before || child.proc.exitCode !== null, 60_000, 'progress');
      child.proc.kill('SIGTERM');
      const exit = await child.exit;
      expect(exit.code, child.stderr()).toBe(0);
    }

    // The last run to the end. The file may be read to its end already (the runs above are
    // fast): wait for this run to say it is following too, or the SIGTERM lands while it starts.
    const child = postino(args, childEnv);
    await waitFor(() => {
      const p = progress(dbPath);
      return (p.lines >= lines.length && p.offset >= size && p.dirty === 0 && child.stderr().includes('caught up')) || child.proc.exitCode !== null;
    }, 120_000, () => `the end of the file: ${child.stderr()}`);
    child.proc.kill('SIGTERM');
    expect((await child.exit).code, child.stderr()).toBe(0);

    const followed = openDb(dbPath);
    const clean = await oneShot(lines, join(dir));
    try {
      const a = figuresOf(followed);
      const b = figuresOf(clean);
      expect(a.counts.messages).toBeGreaterThan(0);
      expect(a).toEqual(b);
      expect((followed.prepare(`SELECT sum(lines) AS n FROM sources`).get() as { n: number }).n).toBe(lines.length);
    } finally {
      followed.close();
      clean.close();
    }
  }, 170_000);
});
