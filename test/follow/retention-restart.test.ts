// Retention never shrinks a day. A day older than every retention period (a backfill, a first
// start over rotated logs) is followed in two halves with a restart between them; retention
// runs when `follow` starts. Its figures end exactly those of a one-shot ingest of the day.
// Then a late line for an hour whose rows were purged adds to that hour, never replaces it.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { appendFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpDir, generatedLines, oneShot, figuresOf, progress, postino, writeConfigFile, waitFor, testConfig, YEAR } from '../helpers/follow-env';
import { openDb } from '../../core/db/open';
import { purgeDetailRows } from '../../server/retention';
import { Pipeline } from '../../collectors/pipeline';
import { dailyFigures } from '../../core/rollup/rollup';

let env: ReturnType<typeof tmpDir>;
let lines: string[];

beforeAll(async () => {
  env = tmpDir('retention-restart');
  lines = await generatedLines(0.01, env.dir);
});
afterAll(() => env.cleanup());

const text = (from: number, to: number): string => lines.slice(from, to).join('\n') + '\n';

describe('retention over a day older than the retention periods', () => {
  it('a day followed in two halves with a restart (retention at each start) ends with all figures exact', async () => {
    const dir = join(env.dir, 'halves');
    mkdirSync(dir);
    const log = join(dir, 'mail.log');
    const dbPath = join(dir, 'f.db');
    const cfg = writeConfigFile(dir);
    // retention on (the default): it runs when follow starts
    const args = ['follow', '--db', dbPath, '--config', cfg, '--year', String(YEAR), '--poll-ms', '100', join(dir, 'mail.log')];
    const half = Math.floor(lines.length / 2);
    writeFileSync(log, text(0, half));
    let child = postino(args);
    await waitFor(() => progress(dbPath).lines >= half && progress(dbPath).dirty === 0, 60_000, () => `first half: ${child.stderr()}`);
    child.proc.kill('SIGTERM');
    expect((await child.exit).code, child.stderr()).toBe(0);

    appendFileSync(log, text(half, lines.length));
    child = postino(args);
    await waitFor(() => progress(dbPath).lines >= lines.length && progress(dbPath).dirty === 0, 60_000, () => `second half: ${child.stderr()}`);
    child.proc.kill('SIGTERM');
    expect((await child.exit).code, child.stderr()).toBe(0);

    const followed = openDb(dbPath);
    const clean = await oneShot(lines, dir);
    try {
      const got = figuresOf(followed);
      const want = figuresOf(clean);
      expect(got.days).toEqual(want.days);
      expect(got.counts).toEqual(want.counts);
    } finally {
      followed.close();
      clean.close();
    }
  }, 150_000);

  it('a late line for an hour whose rows were purged adds to its figures', async () => {
    const dir = join(env.dir, 'late');
    mkdirSync(dir);
    const dbPath = join(dir, 'l.db');
    const db = openDb(dbPath);
    const config = testConfig(dbPath);
    try {
      const pipeline = new Pipeline(db, config);
      // The day, then (read later, as the retention's reference) lines 200 days newer.
      const day = lines.filter((l) => !/postfix\/(?:postscreen|dnsblog)/.test(l)).slice(0, 4000);
      writeFileSync(join(dir, 'day.log'), day.join('\n') + '\n');
      await pipeline.ingestFile(join(dir, 'day.log'), { year: YEAR });
      pipeline.flushRollups();
      const date = dailyFigures(db, 'Europe/Rome', '2026-03-02', '2026-03-02')[0]!;
      expect(date.rejected).toBeGreaterThan(0);
      db.prepare(`UPDATE sources SET last_line_at = last_line_at + 200 * 86400`).run();
      const n = purgeDetailRows(db, config, Math.floor(Date.now() / 1000));
      expect(n.rejects).toBeGreaterThan(0);
      expect((db.prepare(`SELECT count(*) FROM rejects`).pluck().get() as number)).toBe(0);
      // a late reject for the first hour of the day arrives
      const first = day.find((l) => l.includes('NOQUEUE: reject:'))!;
      writeFileSync(join(dir, 'late.log'), `${first}\n`);
      await pipeline.ingestFile(join(dir, 'late.log'), { year: YEAR });
      pipeline.flushRollups();
      const after = dailyFigures(db, 'Europe/Rome', '2026-03-02', '2026-03-02')[0]!;
      expect(after.rejected).toBe(date.rejected + 1);
      expect({ ...after, rejected: 0 }).toEqual({ ...date, rejected: 0 });
    } finally {
      db.close();
    }
  });
});
