// Hourly and daily rollups, recomputed by whole bucket (never `+= 1`). Ingest marks the UTC
// hours it touched as dirty in the same transaction as its rows; `flushRollups` recomputes
// those hours from detail rows, and the local days that contain them from their hours.
import type { Db } from '../db/open';
import { addFigures, computeFigures, emptyFigures, figureNames, uniqueUsers, type Figures } from './figures';
import { dayBounds, localDate, datesBetween, shiftDate } from '../time/local-time';
import { hourBases, hourFigures } from './hour-base';
import { countHour } from './host-counters';

export type DayFigures = { date: string } & Figures;
export type HourFigures = { hour: number } & Figures;

export function flushRollups(db: Db, tz: string): { hours: number; days: number } {
  const dirty = (db.prepare(`SELECT bucket_at FROM dirty_hours ORDER BY bucket_at`).all() as Array<{ bucket_at: number }>).map((r) => r.bucket_at);
  if (dirty.length === 0) return { hours: 0, days: 0 };
  const upHour = db.prepare(
    `INSERT INTO rollup_hour (bucket_at, figures, computed_at) VALUES (?, ?, ?)
     ON CONFLICT (bucket_at) DO UPDATE SET figures = excluded.figures, computed_at = excluded.computed_at`,
  );
  const upDay = db.prepare(
    `INSERT INTO rollup_day (tz, date, figures, computed_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (tz, date) DO UPDATE SET figures = excluded.figures, computed_at = excluded.computed_at`,
  );
  const dropOtherTz = db.prepare(`DELETE FROM rollup_day WHERE tz != ? AND date BETWEEN ? AND ?`);
  const clear = db.prepare(`DELETE FROM dirty_hours WHERE bucket_at = ?`);
  const dates = new Set<string>();
  const now = Math.floor(Date.now() / 1000);
  db.transaction(() => {
    for (const h of dirty) {
      upHour.run(h, JSON.stringify(hourFigures(db, h)), now);
      countHour(db, h);
      dates.add(localDate(tz, h));
      dates.add(localDate(tz, h + 3599));
      clear.run(h);
    }
    const newest = (db.prepare(`SELECT max(bucket_at) AS h FROM rollup_hour`).get() as { h: number | null }).h ?? -Infinity;
    for (const date of dates) {
      const [start, end] = dayBounds(tz, date);
      const f = keepPurged(db, tz, date, start, end, dayFromHours(db, start, end, newest) ?? computeFigures(db, start, end));
      upDay.run(tz, date, JSON.stringify(f), now);
      // Days cut in another zone may straddle this one: they are recomputed on demand.
      dropOtherTz.run(tz, shiftDate(date, -1), shiftDate(date, 1));
    }
  })();
  return { hours: dirty.length, days: dates.size };
}

/**
 * A day with purged hours (retention) keeps what was purged: a day computed whole gets the
 * bases added, and its unique users (not additive) are never fewer than those it had.
 */
function keepPurged(db: Db, tz: string, date: string, start: number, end: number, f: Figures): Figures {
  const bases = hourBases(db, Math.floor(start / 3600) * 3600, end);
  if (bases.size === 0) return f;
  let out = f;
  if (start % 3600 !== 0 || end % 3600 !== 0) for (const b of bases.values()) out = addFigures(out, b);
  const had = db.prepare(`SELECT figures FROM rollup_day WHERE tz = ? AND date = ?`).pluck().get(tz, date) as string | undefined;
  const before = had === undefined ? 0 : ((JSON.parse(had) as Partial<Figures>).unique_users ?? 0);
  return { ...out, unique_users: Math.max(out.unique_users, before) };
}

/**
 * A day's figures as the sum of its stored hours' (those just recomputed included), with
 * its unique users counted over the whole day: that reads the detail rows of a day once, where
 * computing the day again read them a second time (the live feed flushes today after every
 * commit).
 *
 * Every hour that has rows was marked dirty with them, so it has figures once flushed; an hour
 * later than the newest with figures (`newest`: today's hours still to come) has no rows and
 * counts as zero. null when the day does not start and end on whole UTC hours (a zone 30 or 45
 * minutes off UTC), or an earlier hour has no figures (rolled up before postino kept hours, say):
 * then the caller computes the day whole.
 */
function dayFromHours(db: Db, start: number, end: number, newest: number): Figures | null {
  if (start % 3600 !== 0 || end % 3600 !== 0) return null;
  const stored = new Map(
    (db.prepare(`SELECT bucket_at, figures FROM rollup_hour WHERE bucket_at >= ? AND bucket_at < ?`).all(start, end) as Array<{ bucket_at: number; figures: string }>).map(
      (r) => [r.bucket_at, r.figures],
    ),
  );
  let sum = emptyFigures();
  for (let h = start; h < end; h += 3600) {
    const text = stored.get(h);
    const f = text === undefined ? undefined : (JSON.parse(text) as Partial<Figures>);
    if (f === undefined && h > newest) continue;
    // an hour stored before a figure was added lacks it: then the day is computed whole
    if (f === undefined || !isComplete(f)) return null;
    sum = addFigures(sum, f);
  }
  sum.unique_users = uniqueUsers(db, start, end);
  return sum;
}

function isComplete(f: Partial<Figures>): f is Figures {
  return figureNames.every((n) => typeof f[n] === 'number');
}

/**
 * Daily figures for each date in [from, to], from rollup_day; a day without a row (never
 * ingested, or cut in another zone) is computed from detail rows and NOT stored: a read never
 * writes (only flushRollups, after ingest, stores rollups).
 */
export function dailyFigures(db: Db, tz: string, from: string, to: string): DayFigures[] {
  const rows = db.prepare(`SELECT date, figures FROM rollup_day WHERE tz = ? AND date BETWEEN ? AND ?`).all(tz, from, to) as Array<{
    date: string;
    figures: string;
  }>;
  const have = new Map(rows.map((r) => [r.date, JSON.parse(r.figures) as Figures]));
  const out: DayFigures[] = [];
  for (const date of datesBetween(from, to)) {
    let f = have.get(date);
    if (!f) {
      const [start, end] = dayBounds(tz, date);
      f = computeFigures(db, start, end);
    }
    out.push({ date, ...f });
  }
  return out;
}

/** Figures for each hour of a local date (23, 24 or 25 hours), from rollup_hour. */
export function hourlyFigures(db: Db, tz: string, date: string): HourFigures[] {
  const [start, end] = dayBounds(tz, date);
  const first = Math.floor(start / 3600) * 3600;
  const rows = db.prepare(`SELECT bucket_at, figures FROM rollup_hour WHERE bucket_at >= ? AND bucket_at < ?`).all(first, end) as Array<{
    bucket_at: number;
    figures: string;
  }>;
  const have = new Map(rows.map((r) => [r.bucket_at, JSON.parse(r.figures) as Figures]));
  const out: HourFigures[] = [];
  for (let h = first; h < end; h += 3600) {
    const f = have.get(h) ?? computeFigures(db, Math.max(h, start), Math.min(h + 3600, end));
    out.push({ hour: h, ...f });
  }
  return out;
}
