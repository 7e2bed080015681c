// Retention of detail rows (config.retention). Rollups (rollup_hour, rollup_day) are kept:
// purged hours are not marked dirty, so their figures stay as computed.
//   connections: `at` older than connections_days (default 14)
//   messages (by first_at) with their deliveries, trace lines, rejects and verdicts, and
//   rejects/verdicts/deliveries older than the cut by their own time: messages_days (90)
//   logins and auth_failures: logins_days (90)
// service_events (the raw material of availability) are kept.
import type { Db } from '../core/db/open';
import type { Config } from '../core/config/schema';

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

export function purgeDetailRows(db: Db, config: Config, nowSeconds: number): PurgeCounts {
  const r = config.retention;
  const connCut = nowSeconds - r.connections_days * 86400;
  const msgCut = nowSeconds - r.messages_days * 86400;
  const loginCut = nowSeconds - r.logins_days * 86400;
  const n: PurgeCounts = { connections: 0, connection_tally: 0, messages: 0, deliveries: 0, message_lines: 0, rejects: 0, verdicts: 0, logins: 0, auth_failures: 0 };

  // Small transactions, so a live collector sharing the database is never held up for long.
  const loop = (sql: string, cut: number, field: keyof PurgeCounts): void => {
    const st = db.prepare(sql);
    for (;;) {
      const changes = db.transaction(() => st.run(cut, CHUNK).changes)();
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
    db.transaction(() => {
      for (const id of ids) {
        n.deliveries += del.deliveries.run(id).changes;
        n.message_lines += del.lineCount.get(id) as number;
        del.lines.run(id);
        n.rejects += del.rejects.run(id).changes;
        n.verdicts += del.verdicts.run(id).changes;
        del.orphan.run(id);
        n.messages += del.message.run(id).changes;
      }
    })();
    if (ids.length < CHUNK) break;
  }
  // Rows without a message (pre-queue rejects, unmatched verdicts/deliveries) by their own time.
  loop(`DELETE FROM rejects WHERE id IN (SELECT id FROM rejects WHERE at < ? AND message_row IS NULL LIMIT ?)`, msgCut, 'rejects');
  loop(`DELETE FROM verdicts WHERE id IN (SELECT id FROM verdicts WHERE at < ? AND message_row IS NULL LIMIT ?)`, msgCut, 'verdicts');
  loop(`DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries WHERE at < ? AND message_row IS NULL LIMIT ?)`, msgCut, 'deliveries');
  return n;
}
