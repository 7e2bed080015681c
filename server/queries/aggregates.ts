// Aggregate queries over detail rows: rejects by class and code, logins per protocol,
// the hour-by-day heat map. No personal data unless a function says so.
import type { Db } from '../../core/db/open';
import type { Figures, FigureName } from '../../core/rollup/figures';
import { localDate, zoneOffsetAt } from '../../core/time/local-time';

export interface RejectAggregate {
  reason_class: string;
  code: number | null;
  n: number;
  greylist: number;
}

export function rejectsByClass(db: Db, start: number, end: number): { by_class: Array<{ reason_class: string; n: number }>; by_code: RejectAggregate[] } {
  const byCode = db
    .prepare(
      `SELECT reason_class, code, count(*) AS n, coalesce(sum(greylist), 0) AS greylist FROM rejects
        WHERE at >= ? AND at < ? AND action IN ('reject', 'milter-reject')
        GROUP BY reason_class, code ORDER BY n DESC`,
    )
    .all(start, end) as RejectAggregate[];
  const byClass = new Map<string, number>();
  for (const r of byCode) byClass.set(r.reason_class, (byClass.get(r.reason_class) ?? 0) + r.n);
  return {
    by_class: [...byClass.entries()].map(([reason_class, n]) => ({ reason_class, n })).sort((a, b) => b.n - a.n),
    by_code: byCode,
  };
}

/** Personal data: the latest rejects with client, HELO, addresses. */
export function rejectRows(db: Db, start: number, end: number, limit: number): unknown[] {
  return db
    .prepare(
      `SELECT id, at, host, service, action, qid, client_ip, client_host, helo, sender, recipient, code, enhanced, reason_class, reply, greylist
         FROM rejects WHERE at >= ? AND at < ? ORDER BY at DESC LIMIT ?`,
    )
    .all(start, end, limit);
}

export interface LoginDay {
  date: string;
  protocol: string;
  logins: number;
  failures: number;
}

export function loginsPerProtocol(db: Db, tz: string, start: number, end: number): { days: LoginDay[]; totals: Array<{ protocol: string; logins: number; failures: number }>; sasl_auth_failures: number } {
  // Group by local day: offset per row is costly, so group by UTC hour first, then map hours to days.
  const rows = db
    .prepare(
      `SELECT (at / 3600) * 3600 AS h, protocol, sum(success = 1) AS ok, sum(success = 0) AS bad FROM logins
        WHERE at >= ? AND at < ? GROUP BY h, protocol`,
    )
    .all(start, end) as Array<{ h: number; protocol: string; ok: number; bad: number }>;
  const days = new Map<string, LoginDay>();
  const totals = new Map<string, { protocol: string; logins: number; failures: number }>();
  for (const r of rows) {
    const date = localDate(tz, r.h);
    const key = `${date}|${r.protocol}`;
    const d = days.get(key) ?? { date, protocol: r.protocol, logins: 0, failures: 0 };
    d.logins += r.ok;
    d.failures += r.bad;
    days.set(key, d);
    const t = totals.get(r.protocol) ?? { protocol: r.protocol, logins: 0, failures: 0 };
    t.logins += r.ok;
    t.failures += r.bad;
    totals.set(r.protocol, t);
  }
  const sasl = (db.prepare(`SELECT count(*) AS n FROM auth_failures WHERE at >= ? AND at < ?`).get(start, end) as { n: number }).n;
  return {
    days: [...days.values()].sort((a, b) => (a.date === b.date ? a.protocol.localeCompare(b.protocol) : a.date.localeCompare(b.date))),
    totals: [...totals.values()],
    sasl_auth_failures: sasl,
  };
}

/** Personal data: per-user login counts (optionally one user's sessions). */
export function loginsPerUser(db: Db, start: number, end: number, user: string | undefined, limit: number): unknown[] {
  if (user) {
    return db
      .prepare(
        `SELECT at, host, protocol, username, success, method, rip, backend FROM logins
          WHERE lower(username) = lower(?) AND at >= ? AND at < ? ORDER BY at DESC LIMIT ?`,
      )
      .all(user, start, end, limit);
  }
  return db
    .prepare(
      `SELECT username, protocol, sum(success = 1) AS logins, sum(success = 0) AS failures, count(DISTINCT rip) AS addresses, max(at) AS last_at
         FROM logins WHERE at >= ? AND at < ? GROUP BY username, protocol ORDER BY failures DESC, logins DESC LIMIT ?`,
    )
    .all(start, end, limit);
}

/** figure per (local date, local hour) from rollup_hour; missing hours are 0. */
export function heatmap(db: Db, tz: string, start: number, end: number, figure: FigureName): Array<{ date: string; hours: number[] }> {
  const rows = db.prepare(`SELECT bucket_at, figures FROM rollup_hour WHERE bucket_at >= ? AND bucket_at < ? ORDER BY bucket_at`).all(start, end) as Array<{
    bucket_at: number;
    figures: string;
  }>;
  const out = new Map<string, number[]>();
  for (const r of rows) {
    const f = JSON.parse(r.figures) as Partial<Figures>;
    const local = r.bucket_at + zoneOffsetAt(tz, r.bucket_at);
    const date = new Date(local * 1000).toISOString().slice(0, 10);
    const hour = new Date(local * 1000).getUTCHours();
    const hours = out.get(date) ?? new Array<number>(24).fill(0);
    hours[hour] = (hours[hour] ?? 0) + (f[figure] ?? 0);
    out.set(date, hours);
  }
  return [...out.entries()].map(([date, hours]) => ({ date, hours }));
}
