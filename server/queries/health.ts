// Ingest health: unparsed lines (mail daemons') and other programs' lines by program, lag,
// checkpoint positions.
import type { Db } from '../../core/db/open';

export interface Health {
  now: number;
  ingest_lag_s: number | null;
  last_line_at: number | null;
  dirty_hours: number;
  unparsed: Array<{ program: string; n: number; last_at: number | null; sample?: string }>;
  /** lines of programs postino does not read (cron, sshd ...), by program; no sample */
  other: Array<{ program: string; n: number; last_at: number | null }>;
  sources: Array<{ id: number; kind: string; path: string; offset_bytes: number; size_bytes: number; lines: number; recognised: number; unparsed: number; other: number; last_line_at: number | null; updated_at: number; lag_s: number | null }>;
  totals: { lines: number; recognised: number; unparsed: number; other: number };
}

export function health(db: Db, nowMs: number, withSamples: boolean): Health {
  const now = Math.floor(nowMs / 1000);
  const sources = (
    db
      .prepare(`SELECT id, kind, path, offset_bytes, size_bytes, lines, recognised, unparsed, other, last_line_at, updated_at FROM sources ORDER BY id`)
      .all() as Array<Omit<Health['sources'][number], 'lag_s'>>
  ).map((s) => ({ ...s, lag_s: s.last_line_at === null ? null : Math.max(0, Math.round(now - s.last_line_at)) }));
  const unparsed = (db.prepare(`SELECT program, n, last_at, sample FROM unparsed_counts ORDER BY n DESC`).all() as Array<{ program: string; n: number; last_at: number | null; sample: string }>).map(
    (u) => (withSamples ? u : { program: u.program, n: u.n, last_at: u.last_at }),
  );
  const other = db.prepare(`SELECT program, n, last_at FROM other_counts ORDER BY n DESC, program`).all() as Health['other'];
  const lastLineAt = sources.reduce<number | null>((m, s) => (s.last_line_at !== null && (m === null || s.last_line_at > m) ? s.last_line_at : m), null);
  const dirty = (db.prepare(`SELECT count(*) AS n FROM dirty_hours`).get() as { n: number }).n;
  const totals = sources.reduce(
    (t, s) => ({ lines: t.lines + s.lines, recognised: t.recognised + s.recognised, unparsed: t.unparsed + s.unparsed, other: t.other + s.other }),
    { lines: 0, recognised: 0, unparsed: 0, other: 0 },
  );
  return { now, ingest_lag_s: lastLineAt === null ? null : Math.max(0, Math.round(now - lastLineAt)), last_line_at: lastLineAt, dirty_hours: dirty, unparsed, other, sources, totals };
}
