// A day's rollup is the sum of its hours' (with its unique users counted over the whole day),
// not a second pass over the day's detail rows. Checked on generated logs across the spring DST
// change in Europe/Rome (a 23-hour day): every day equals the figures computed straight from the
// detail rows; a zone whose days do not start on a UTC hour, and a day with hours never rolled
// up, are computed whole.
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type Db } from '../../core/db/open';
import { parseConfig } from '../../core/config/load';
import { Pipeline } from '../../collectors/pipeline';
import { generateToFile } from '../../collectors/generate/index';
import { flushRollups } from '../../core/rollup/rollup';
import { computeFigures, type Figures } from '../../core/rollup/figures';
import { dayBounds } from '../../core/time/local-time';

let db: Db;
const DATES = ['2026-03-28', '2026-03-29', '2026-03-30'];

function storedDay(tz: string, date: string): Figures {
  const r = db.prepare(`SELECT figures FROM rollup_day WHERE tz = ? AND date = ?`).get(tz, date) as { figures: string } | undefined;
  if (!r) throw new Error(`no rollup for ${tz} ${date}`);
  return JSON.parse(r.figures) as Figures;
}

function direct(tz: string, date: string): Figures {
  const [start, end] = dayBounds(tz, date);
  return computeFigures(db, start, end);
}

/** Marks every hour of [start, end) dirty, as an ingest touching them would. */
function touch(start: number, end: number): void {
  const mark = db.prepare(`INSERT OR IGNORE INTO dirty_hours (bucket_at) VALUES (?)`);
  for (let h = Math.floor(start / 3600) * 3600; h < end; h += 3600) mark.run(h);
}

/** A new database in `dir` with `log` ingested and its rollups flushed. */
async function ingested(dir: string, log: string): Promise<Db> {
  const target = openDb(join(dir, 'p.db'));
  const p = new Pipeline(target, parseConfig({ database: join(dir, 'p.db') }));
  try {
    await p.ingestFile(log, { year: 2026 });
  } finally {
    await p.close();
  }
  p.flushRollups();
  return target;
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'postino-rollup-'));
  const log = join(dir, 'mail.log');
  await generateToFile({ start: DATES[0]!, days: DATES.length, scale: 0.005, tz: 'Europe/Rome', seed: 11, outagePlan: 'default' }, log);
  db = await ingested(dir, log);
}, 120_000);

describe('day rollups from hour rollups', () => {
  it('equal the figures computed from the detail rows, on every day, the 23-hour one included', () => {
    const [start, end] = dayBounds('Europe/Rome', '2026-03-29');
    expect(end - start).toBe(23 * 3600);
    for (const date of DATES) {
      const got = storedDay('Europe/Rome', date);
      expect(got, date).toEqual(direct('Europe/Rome', date));
      expect(got.connections, date).toBeGreaterThan(1000);
      expect(got.unique_users, date).toBeGreaterThan(0);
    }
  });

  it('sum the stored hours: an hour not touched again keeps its figures in the day', () => {
    const [start] = dayBounds('Europe/Rome', '2026-03-30');
    // an hour's stored figures changed behind the rollup's back (as retention's purge leaves
    // them, with the detail rows gone): the day recomputed for another hour still counts them
    const row = db.prepare(`SELECT figures FROM rollup_hour WHERE bucket_at = ?`).get(start) as { figures: string };
    const f = JSON.parse(row.figures) as Figures;
    db.prepare(`UPDATE rollup_hour SET figures = ? WHERE bucket_at = ?`).run(JSON.stringify({ ...f, connections: f.connections + 1000 }), start);
    touch(start + 5 * 3600, start + 6 * 3600);
    flushRollups(db, 'Europe/Rome');
    const want = direct('Europe/Rome', '2026-03-30');
    expect(storedDay('Europe/Rome', '2026-03-30')).toEqual({ ...want, connections: want.connections + 1000 });
    // put it back
    touch(start, start + 3600);
    flushRollups(db, 'Europe/Rome');
    expect(storedDay('Europe/Rome', '2026-03-30')).toEqual(want);
  });

  it('compute a day whole when one of its hours was never rolled up', () => {
    const [start] = dayBounds('Europe/Rome', '2026-03-28');
    db.prepare(`DELETE FROM rollup_hour WHERE bucket_at IN (?, ?)`).run(start, start + 3600);
    db.prepare(`UPDATE rollup_day SET figures = '{}' WHERE date = '2026-03-28'`).run();
    touch(start + 7 * 3600, start + 8 * 3600);
    flushRollups(db, 'Europe/Rome');
    expect(storedDay('Europe/Rome', '2026-03-28')).toEqual(direct('Europe/Rome', '2026-03-28'));
  });

  it("sum a day whose later hours have no lines yet (today, as the live feed flushes it)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'postino-rollup-today-'));
    const full = join(dir, 'day.log');
    await generateToFile({ start: '2026-04-14', days: 1, scale: 0.005, tz: 'Europe/Rome', seed: 12, outagePlan: 'default' }, full);
    // the morning only: lines stamped before 10:00 local time
    const morning = join(dir, 'morning.log');
    writeFileSync(morning, readFileSync(full, 'utf8').split('\n').filter((l) => /^Apr 14 0\d:/.test(l)).join('\n') + '\n');
    const today = await ingested(dir, morning);
    const [start, end] = dayBounds('Europe/Rome', '2026-04-14');
    const row = () => JSON.parse((today.prepare(`SELECT figures FROM rollup_day WHERE tz = 'Europe/Rome' AND date = '2026-04-14'`).get() as { figures: string }).figures) as Figures;
    const want = computeFigures(today, start, end);
    expect(want.connections).toBeGreaterThan(100);
    expect(row()).toEqual(want);
    // and it was summed, not computed whole: a stored morning hour's figures show in the day
    const first = today.prepare(`SELECT bucket_at, figures FROM rollup_hour ORDER BY bucket_at LIMIT 1`).get() as { bucket_at: number; figures: string };
    const f = JSON.parse(first.figures) as Figures;
    today.prepare(`UPDATE rollup_hour SET figures = ? WHERE bucket_at = ?`).run(JSON.stringify({ ...f, delivered: f.delivered + 7 }), first.bucket_at);
    today.prepare(`INSERT INTO dirty_hours (bucket_at) VALUES (?)`).run(start + 5 * 3600);
    flushRollups(today, 'Europe/Rome');
    expect(row()).toEqual({ ...want, delivered: want.delivered + 7 });
    today.close();
  }, 60_000);

  it('compute days whole in a zone whose days start on the half hour', () => {
    const [start, end] = dayBounds('Asia/Kolkata', '2026-03-29');
    expect(start % 3600).toBe(1800);
    touch(dayBounds('Asia/Kolkata', DATES[0]!)[0], end);
    flushRollups(db, 'Asia/Kolkata');
    for (const date of DATES.slice(0, 2)) expect(storedDay('Asia/Kolkata', date), date).toEqual(direct('Asia/Kolkata', date));
  });
});
