// Storage from the quota snapshots: totals per day, growth per month (least squares over the
// window's snapshot days) and the day the configured capacity fills at that growth.
// GB and TB are binary (GiB, TiB), as Dovecot's quota sizes (`10G` = 10 x 2^30 bytes).
import type { Db } from '../core/db/open';
import { shiftDate, daysBetween } from '../core/time/local-time';

export const GB = 2 ** 30;
export const TB = 2 ** 40;
/** average days in a month (365.25 / 12): growth per month = growth per day x this */
const MONTH_DAYS = 30.4375;

export interface StorageDay {
  date: string;
  mailboxes: number;
  used_gb: number;
  quota_gb: number | null;
}

export interface StorageReport {
  available: true;
  /** date of the latest snapshot used */
  date: string;
  mailboxes: number;
  used_gb: number;
  used_gb_per_mailbox: number;
  quota_gb: number | null;
  capacity_gb: number;
  used_fraction: number;
  /** null with fewer than two snapshot days in the window */
  growth_gb_per_month: number | null;
  /** null when usage is not growing (or growth is unknown) */
  fills_on: string | null;
  days: StorageDay[];
  /** monthly points from the latest snapshot to the fill date (at most 5 years) */
  forecast: Array<{ date: string; used_gb: number }>;
}

export interface NoStorage {
  available: false;
  note: string;
}

function round(x: number, d = 2): number {
  const k = 10 ** d;
  return Math.round(x * k) / k;
}

/** Least-squares slope (units per day) of used bytes over the days. */
function slopePerDay(days: Array<{ date: string; used: number }>): number | null {
  if (days.length < 2) return null;
  const x = days.map((d) => daysBetween(days[0]!.date, d.date) - 1);
  const y = days.map((d) => d.used);
  const mx = x.reduce((s, v) => s + v, 0) / x.length;
  const my = y.reduce((s, v) => s + v, 0) / y.length;
  let num = 0;
  let den = 0;
  x.forEach((xi, i) => {
    num += (xi - mx) * (y[i]! - my);
    den += (xi - mx) ** 2;
  });
  return den > 0 ? num / den : null;
}

export function storageReport(db: Db, from: string, to: string, capacityTb: number): StorageReport | NoStorage {
  const rows = db
    .prepare(
      `SELECT date, count(*) AS mailboxes, sum(used_bytes) AS used, sum(limit_bytes) AS quota, count(limit_bytes) AS limited
         FROM quota_snapshots WHERE date BETWEEN ? AND ? GROUP BY date ORDER BY date`,
    )
    .all(from, to) as Array<{ date: string; mailboxes: number; used: number; quota: number | null; limited: number }>;
  if (rows.length === 0) {
    return { available: false, note: 'storage figures need quota snapshots (`postino quota import`, or budget.quota_snapshots in the config): none in this window' };
  }
  const last = rows[rows.length - 1]!;
  const capacity = capacityTb * TB;
  const slope = slopePerDay(rows.map((r) => ({ date: r.date, used: r.used })));
  let fillsOn: string | null = null;
  const forecast: Array<{ date: string; used_gb: number }> = [];
  if (slope !== null && slope > 0) {
    const daysLeft = Math.max(0, Math.ceil((capacity - last.used) / slope));
    fillsOn = shiftDate(last.date, daysLeft);
    const horizon = Math.min(daysLeft, 5 * 366);
    for (let d = 0; ; d = Math.min(horizon, d + 30)) {
      forecast.push({ date: shiftDate(last.date, d), used_gb: round((last.used + slope * d) / GB) });
      if (d >= horizon) break;
    }
  }
  return {
    available: true,
    date: last.date,
    mailboxes: last.mailboxes,
    used_gb: round(last.used / GB),
    used_gb_per_mailbox: round(last.used / GB / Math.max(1, last.mailboxes), 3),
    // a quota total only when every mailbox has a limit
    quota_gb: last.limited === last.mailboxes && last.quota !== null ? round(last.quota / GB) : null,
    capacity_gb: round(capacity / GB),
    used_fraction: round(last.used / capacity, 4),
    growth_gb_per_month: slope === null ? null : round((slope * MONTH_DAYS) / GB),
    fills_on: fillsOn,
    days: rows.map((r) => ({ date: r.date, mailboxes: r.mailboxes, used_gb: round(r.used / GB), quota_gb: r.limited === r.mailboxes && r.quota !== null ? round(r.quota / GB) : null })),
    forecast,
  };
}

/** Bytes used per mailbox on the latest snapshot day of the window (for the per-department sums). */
export function usedByMailbox(db: Db, date: string): Map<string, number> {
  const rows = db.prepare('SELECT mailbox, used_bytes FROM quota_snapshots WHERE date = ?').all(date) as Array<{ mailbox: string; used_bytes: number }>;
  return new Map(rows.map((r) => [r.mailbox, r.used_bytes]));
}
