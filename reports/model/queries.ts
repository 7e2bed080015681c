// The few figures the report needs beyond the day rollups: reject reasons by class (never
// addresses or clients) and the collector's unparsed-line counts for the method page.
import type { Db } from '../../core/db/open';

/** Reject events by reason class in [start, end): the same lines `rejected` counts. */
export function rejectClasses(db: Db, start: number, end: number): Array<{ reason_class: string; n: number }> {
  return db
    .prepare(
      `SELECT reason_class, count(*) AS n FROM rejects
        WHERE at >= ? AND at < ? AND action IN ('reject', 'milter-reject')
        GROUP BY reason_class ORDER BY n DESC, reason_class`,
    )
    .all(start, end) as Array<{ reason_class: string; n: number }>;
}

/** Lines read and left unparsed since the database was created (the collector keeps no months). */
export function parseCoverage(db: Db): { lines: number; unparsed: number; byProgram: Array<{ program: string; n: number }> } {
  const t = db.prepare(`SELECT coalesce(sum(lines), 0) AS lines FROM sources`).get() as { lines: number };
  const byProgram = db.prepare(`SELECT program, n FROM unparsed_counts ORDER BY n DESC, program`).all() as Array<{ program: string; n: number }>;
  return { lines: t.lines, unparsed: byProgram.reduce((s, r) => s + r.n, 0), byProgram };
}
