// Bases of purged hours (migration 0010): retention deletes detail rows but never a figure.
// An hour whose rows were purged keeps, as its base, what those rows counted; when a late line
// marks the hour dirty again, its figures are the base plus what the rows left give, so a
// recomputation can only add to the hour, never shrink it.
import type { Db } from '../db/open';
import { addFigures, computeFigures, emptyFigures, figureNames, type Figures } from './figures';
import { rebaseCountedHours } from './host-counters';

/** The bases of the hours in [start, end). */
export function hourBases(db: Db, start: number, end: number): Map<number, Figures> {
  const rows = db.prepare(`SELECT bucket_at, figures FROM rollup_hour_base WHERE bucket_at >= ? AND bucket_at < ?`).all(start, end) as Array<{ bucket_at: number; figures: string }>;
  return new Map(rows.map((r) => [r.bucket_at, { ...emptyFigures(), ...(JSON.parse(r.figures) as Partial<Figures>) }]));
}

/** An hour's figures: its base (if purged) plus its remaining detail rows'. */
export function hourFigures(db: Db, hour: number): Figures {
  const base = hourBases(db, hour, hour + 3600).get(hour);
  const f = computeFigures(db, hour, hour + 3600);
  return base ? addFigures(base, f) : f;
}

/**
 * Call inside the purge's transaction, after its deletes, for every hour that held a purged row:
 * base := the hour's stored figures (rolled up before the purge) minus what its rows give now.
 */
export function freezePurgedHours(db: Db, hours: Iterable<number>): void {
  hours = [...hours];
  // the /metrics counters of these hours too (host-counters.ts)
  rebaseCountedHours(db, hours);
  const stored = db.prepare(`SELECT figures FROM rollup_hour WHERE bucket_at = ?`).pluck();
  const put = db.prepare(`INSERT INTO rollup_hour_base (bucket_at, figures) VALUES (?, ?) ON CONFLICT (bucket_at) DO UPDATE SET figures = excluded.figures`);
  for (const h of hours) {
    const text = stored.get(h) as string | undefined;
    if (text === undefined) continue;
    const before = { ...emptyFigures(), ...(JSON.parse(text) as Partial<Figures>) };
    const after = computeFigures(db, h, h + 3600);
    const base = emptyFigures();
    for (const n of figureNames) base[n] = Math.max(0, before[n] - after[n]);
    put.run(h, JSON.stringify(base));
  }
}
