// Country figures per local day (geo_day), recomputed whole for the days whose hours were
// touched (geo_dirty_hours, marked by a trigger on dirty_hours). Connections come from the
// hourly country tallies; logins, SMTP AUTH failures and submissions from their detail rows,
// one lookup per distinct address (cached).
import type { Db } from '../../core/db/open';
import type { Config } from '../../core/config/schema';
import { dayBounds, localDate } from '../../core/time/local-time';
import { openGeoIp, type GeoIp } from './geoip';

export function flushGeoDays(db: Db, config: Config): number {
  const dirty = db.prepare(`SELECT bucket_at FROM geo_dirty_hours`).pluck().all() as number[];
  if (dirty.length === 0) return 0;
  const tz = config.timezone;
  const dates = new Set<string>();
  for (const h of dirty) {
    dates.add(localDate(tz, h));
    dates.add(localDate(tz, h + 3599));
  }
  const geo = openGeoIp(config.geoip);
  const clear = db.prepare(`DELETE FROM geo_dirty_hours WHERE bucket_at = ?`);
  db.transaction(() => {
    for (const date of dates) writeGeoDay(db, tz, date, geo);
    for (const h of dirty) clear.run(h);
  })();
  return dates.size;
}

/** The country figures of one local day, as stored in geo_day (country → metric → n). */
export function computeGeoDay(db: Db, tz: string, date: string, geo: GeoIp | null): Map<string, Map<string, number>> {
  const [start, end] = dayBounds(tz, date);
  const out = new Map<string, Map<string, number>>();
  const add = (country: string, metric: string, n: number): void => {
    let m = out.get(country);
    if (m === undefined) out.set(country, (m = new Map()));
    m.set(metric, (m.get(metric) ?? 0) + n);
  };
  // hours that start within the day (a zone off the hour splits one hour: it counts where it starts)
  const hours = db.prepare(`SELECT country, metric, sum(n) AS n FROM geo_hour WHERE hour_at >= ? AND hour_at < ? GROUP BY country, metric`).all(start, end) as Array<{ country: string; metric: string; n: number }>;
  for (const r of hours) add(r.country, `smtp:${r.metric}`, r.n);
  if (geo === null) return out;
  const logins = db.prepare(`SELECT rip, protocol, success, count(*) AS n FROM logins WHERE at >= ? AND at < ? GROUP BY rip, protocol, success`).all(start, end) as Array<{ rip: string | null; protocol: string; success: number; n: number }>;
  for (const r of logins) add(r.rip ? geo.country(r.rip) : 'unknown', `${r.success ? 'login' : 'login_failed'}:${r.protocol}`, r.n);
  const auth = db.prepare(`SELECT client_ip, count(*) AS n FROM auth_failures WHERE at >= ? AND at < ? GROUP BY client_ip`).all(start, end) as Array<{ client_ip: string | null; n: number }>;
  for (const r of auth) add(r.client_ip ? geo.country(r.client_ip) : 'unknown', 'smtp_auth_failed', r.n);
  const subs = db.prepare(`SELECT client_ip, count(*) AS n FROM messages WHERE submitted_at >= ? AND submitted_at < ? GROUP BY client_ip`).all(start, end) as Array<{ client_ip: string | null; n: number }>;
  for (const r of subs) add(r.client_ip ? geo.country(r.client_ip) : 'unknown', 'submission', r.n);
  return out;
}

function writeGeoDay(db: Db, tz: string, date: string, geo: GeoIp | null): void {
  db.prepare(`DELETE FROM geo_day WHERE tz = ? AND date = ?`).run(tz, date);
  const ins = db.prepare(`INSERT INTO geo_day (tz, date, country, metric, n) VALUES (?, ?, ?, ?, ?)`);
  for (const [country, metrics] of computeGeoDay(db, tz, date, geo)) for (const [metric, n] of metrics) ins.run(tz, date, country, metric, n);
}
