// Running totals behind the Prometheus counters of /metrics (*_total): per host, connections,
// messages received and delivered, rejects by class, logins by protocol and result. When a
// dirty hour is flushed, its counts per host are computed from the detail rows; the growth over
// what that hour held before is added to the totals (migration 0009). Totals therefore only
// grow: an hour recomputed lower takes nothing away, as Prometheus expects of a counter. When
// retention purges an hour's rows, the hour's counts are reset to what its rows still give
// (rebaseCountedHours), so a late line for that hour adds its own growth, no more, no less.
import type { Db } from '../db/open';

export interface CounterRow {
  host: string;
  metric: string;
  n: number;
}

function prepare(db: Db) {
  const q = (sql: string) => db.prepare(sql);
  return {
    queries: [
      q(`SELECT host, 'connections' AS metric, sum(n) AS n FROM connection_tally WHERE minute_at >= ? AND minute_at < ? AND metric = 'connect' GROUP BY host`),
      q(`SELECT host, 'connections' AS metric, count(*) AS n FROM connections WHERE at >= ? AND at < ? AND counted = 1 GROUP BY host`),
      q(`SELECT host, 'received' AS metric, count(*) AS n FROM messages WHERE received_at >= ? AND received_at < ? GROUP BY host`),
      q(`SELECT host, 'delivered' AS metric, count(*) AS n FROM messages WHERE delivered_at >= ? AND delivered_at < ? GROUP BY host`),
      q(`SELECT host, 'rejects:' || reason_class AS metric, count(*) AS n FROM rejects WHERE at >= ? AND at < ? AND action IN ('reject', 'milter-reject') GROUP BY host, reason_class`),
      q(`SELECT host, 'logins:' || protocol || ':' || CASE WHEN success = 1 THEN 'ok' ELSE 'failed' END AS metric, count(*) AS n
           FROM logins WHERE at >= ? AND at < ? GROUP BY host, protocol, success`),
    ],
    clearHour: q(`DELETE FROM counter_hour WHERE bucket_at = ?`),
    old: q(`SELECT n FROM counter_hour WHERE bucket_at = ? AND host = ? AND metric = ?`).pluck(),
    setHour: q(`INSERT INTO counter_hour (bucket_at, host, metric, n) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET n = excluded.n`),
    addTotal: q(`INSERT INTO counter_total (host, metric, n) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n`),
  };
}

const cache = new WeakMap<Db, ReturnType<typeof prepare>>();

function statements(db: Db): ReturnType<typeof prepare> {
  let st = cache.get(db);
  if (!st) {
    st = prepare(db);
    cache.set(db, st);
  }
  return st;
}

/** What the detail rows of hour [bucket, bucket + 3600) count, per host and metric. */
function countsOf(st: ReturnType<typeof prepare>, bucket: number): Map<string, CounterRow> {
  const now = new Map<string, CounterRow>();
  for (const q of st.queries) {
    for (const r of q.all(bucket, bucket + 3600) as CounterRow[]) {
      const key = `${r.host}\u0000${r.metric}`;
      const had = now.get(key);
      now.set(key, { host: r.host, metric: r.metric, n: (had?.n ?? 0) + r.n });
    }
  }
  return now;
}

/** Adds hour [bucket, bucket + 3600)'s growth to the totals; call inside the flush's transaction. */
export function countHour(db: Db, bucket: number): void {
  const st = statements(db);
  for (const r of countsOf(st, bucket).values()) {
    const old = (st.old.get(bucket, r.host, r.metric) as number | undefined) ?? 0;
    if (r.n <= old) continue;
    st.setHour.run(bucket, r.host, r.metric, r.n);
    st.addTotal.run(r.host, r.metric, r.n - old);
  }
}

/**
 * Call inside the retention purge's transaction, after its deletes, for every hour that held a
 * purged row: the hour's counts become what its remaining rows give (the totals keep what the
 * purged rows added).
 */
export function rebaseCountedHours(db: Db, hours: Iterable<number>): void {
  const st = statements(db);
  for (const h of hours) {
    st.clearHour.run(h);
    for (const r of countsOf(st, h).values()) st.setHour.run(h, r.host, r.metric, r.n);
  }
}

/** Every running total. */
export function counterTotals(db: Db): CounterRow[] {
  return db.prepare(`SELECT host, metric, n FROM counter_total ORDER BY metric, host`).all() as CounterRow[];
}
