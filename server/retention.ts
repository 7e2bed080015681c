// Retention of detail rows (config.retention). Rollups (rollup_hour, rollup_day) are kept, and
// retention never shrinks an hour or a day:
// - the cut is measured back from the newest line read (sources.last_line_at) less the
//   correlation window (open records live that long), never from the wall clock: a backfill of
//   days older than the retention, or a restart in the middle of one, purges nothing it is
//   still reading;
// - the hours are rolled up first, and each hour that held a purged row keeps what those rows
//   counted as its base (core/rollup/hour-base.ts), so a late line for it adds to its figures.
//   connections: `at` older than connections_days (default 14)
//   messages (by first_at) with their deliveries, trace lines, rejects and verdicts, and
//   rejects/verdicts/deliveries older than the cut by their own time: messages_days (90)
//   logins and auth_failures: logins_days (90)
// service_events (the raw material of availability) are kept.
import type { Db } from '../core/db/open';
import type { Config } from '../core/config/schema';
import { flushRollups } from '../core/rollup/rollup';
import { freezePurgedHours } from '../core/rollup/hour-base';

export interface PurgeCounts {
  connections: number;
  /** per-minute postscreen tally rows */
  connection_tally: number;
  messages: number;
  deliveries: number;
  message_lines: number;
  rejects: number;
  verdicts: number;
  logins: number;
  auth_failures: number;
}

const CHUNK = 5000;

/**
 * The instant the retention periods are measured back from: the newest line read, less the
 * correlation window, and never later than the wall clock; null when no line was read.
 */
export function retentionReference(db: Db, config: Config, wallSeconds: number): number | null {
  const newest = db.prepare(`SELECT max(last_line_at) FROM sources`).pluck().get() as number | null;
  if (newest === null) return null;
  return Math.min(wallSeconds, Math.floor(newest) - config.correlation.open_record_ttl_hours * 3600);
}

/** UTC hours with figures from `lo` up to the cut plus the correlation window (a purged message's later lines). */
function hoursFrom(db: Db, lo: number | null, cut: number, windowHours: number): number[] {
  if (lo === null || lo >= cut) return [];
  const from = Math.floor(lo / 3600) * 3600;
  const to = Math.floor(cut / 3600) * 3600 + (windowHours + 1) * 3600;
  return db.prepare(`SELECT bucket_at FROM rollup_hour WHERE bucket_at >= ? AND bucket_at <= ?`).pluck().all(from, to) as number[];
}

export function purgeDetailRows(db: Db, config: Config, wallSeconds: number): PurgeCounts {
  const n: PurgeCounts = { connections: 0, connection_tally: 0, messages: 0, deliveries: 0, message_lines: 0, rejects: 0, verdicts: 0, logins: 0, auth_failures: 0 };
  const ref = retentionReference(db, config, wallSeconds);
  if (ref === null) return n;
  const r = config.retention;
  const connCut = ref - r.connections_days * 86400;
  const msgCut = ref - r.messages_days * 86400;
  const loginCut = ref - r.logins_days * 86400;
  // Every hour's figures are current before any row goes (a dirty hour recomputed after the
  // purge would lose what was purged).
  flushRollups(db, config.timezone);
  const min = (sql: string, cut: number): number | null => db.prepare(sql).pluck().get(cut) as number | null;
  const oldest = [
    min(`SELECT min(at) FROM connections WHERE at < ?`, connCut),
    min(`SELECT min(minute_at) FROM connection_tally WHERE minute_at < ?`, connCut),
  ];
  const oldestLogin = [min(`SELECT min(at) FROM logins WHERE at < ?`, loginCut), min(`SELECT min(at) FROM auth_failures WHERE at < ?`, loginCut)];
  const oldestMsg = [
    min(`SELECT min(first_at) FROM messages WHERE first_at < ?`, msgCut),
    min(`SELECT min(at) FROM rejects WHERE at < ?`, msgCut),
    min(`SELECT min(at) FROM verdicts WHERE at < ?`, msgCut),
    min(`SELECT min(at) FROM deliveries WHERE at < ?`, msgCut),
  ];
  const lowest = (xs: Array<number | null>): number | null => xs.reduce<number | null>((a, x) => (x === null ? a : a === null ? x : Math.min(a, x)), null);
  const window = config.correlation.open_record_ttl_hours;
  const hours = new Set([...hoursFrom(db, lowest(oldest), connCut, 0), ...hoursFrom(db, lowest(oldestLogin), loginCut, 0), ...hoursFrom(db, lowest(oldestMsg), msgCut, Math.ceil(window))]);
  if (hours.size === 0) return n;
  // One transaction: the bases are written with the deletes, so a crash loses neither.
  db.transaction(() => {
    purgeRows(db, connCut, msgCut, loginCut, n);
    freezePurgedHours(db, hours);
  })();
  return n;
}

function purgeRows(db: Db, connCut: number, msgCut: number, loginCut: number, n: PurgeCounts): void {

  const loop = (sql: string, cut: number, field: keyof PurgeCounts): void => {
    const st = db.prepare(sql);
    for (;;) {
      const changes = st.run(cut, CHUNK).changes;
      n[field] += changes;
      if (changes < CHUNK) break;
    }
  };
  loop(`DELETE FROM connections WHERE id IN (SELECT id FROM connections WHERE at < ? LIMIT ?)`, connCut, 'connections');
  // Postscreen tallies follow the connections' retention (a day is ~60k small rows).
  n.connection_tally = db.prepare(`DELETE FROM connection_tally WHERE minute_at < ?`).run(connCut).changes;
  loop(`DELETE FROM logins WHERE id IN (SELECT id FROM logins WHERE at < ? LIMIT ?)`, loginCut, 'logins');
  loop(`DELETE FROM auth_failures WHERE id IN (SELECT id FROM auth_failures WHERE at < ? LIMIT ?)`, loginCut, 'auth_failures');

  const oldIds = db.prepare(`SELECT id FROM messages WHERE first_at < ? ORDER BY id LIMIT ?`);
  const del = {
    deliveries: db.prepare(`DELETE FROM deliveries WHERE message_row = ?`),
    // lines are stored in groups (migration 0004): count the lines, delete the groups
    lineCount: db.prepare(`SELECT count(*) AS n FROM message_lines WHERE message_row = ?`).pluck(),
    lines: db.prepare(`DELETE FROM message_line_groups WHERE message_row = ?`),
    rejects: db.prepare(`DELETE FROM rejects WHERE message_row = ?`),
    verdicts: db.prepare(`DELETE FROM verdicts WHERE message_row = ?`),
    // A young message re-injected from an old one loses its parent link, not itself.
    orphan: db.prepare(`UPDATE messages SET parent_id = NULL WHERE parent_id = ?`),
    message: db.prepare(`DELETE FROM messages WHERE id = ?`),
  };
  for (;;) {
    const ids = (oldIds.all(msgCut, CHUNK) as Array<{ id: number }>).map((x) => x.id);
    if (ids.length === 0) break;
    {
      for (const id of ids) {
        n.deliveries += del.deliveries.run(id).changes;
        n.message_lines += del.lineCount.get(id) as number;
        del.lines.run(id);
        n.rejects += del.rejects.run(id).changes;
        n.verdicts += del.verdicts.run(id).changes;
        del.orphan.run(id);
        n.messages += del.message.run(id).changes;
      }
    }
    if (ids.length < CHUNK) break;
  }
  // Rows without a message (pre-queue rejects, unmatched verdicts/deliveries) by their own time.
  loop(`DELETE FROM rejects WHERE id IN (SELECT id FROM rejects WHERE at < ? AND message_row IS NULL LIMIT ?)`, msgCut, 'rejects');
  loop(`DELETE FROM verdicts WHERE id IN (SELECT id FROM verdicts WHERE at < ? AND message_row IS NULL LIMIT ?)`, msgCut, 'verdicts');
  loop(`DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries WHERE at < ? AND message_row IS NULL LIMIT ?)`, msgCut, 'deliveries');
}
