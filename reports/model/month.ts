// Calendar months as YYYY-MM strings: validation, first and last day, neighbours.
import { isCalendarDate, shiftDate, localDate } from '../../core/time/local-time';

export function isMonth(v: string): boolean {
  return /^\d{4}-\d{2}$/.test(v) && isCalendarDate(`${v}-01`);
}

export function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
  return { from: `${month}-01`, to: shiftDate(next, -1) };
}

export function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + by, 1)).toISOString().slice(0, 7);
}

/** The month before the one containing `nowMs` in `tz`: what the scheduled job reports. */
export function lastMonth(tz: string, nowMs: number): string {
  return shiftMonth(localDate(tz, Math.floor(nowMs / 1000)).slice(0, 7), -1);
}

/** The month containing `nowMs` in `tz`. */
export function currentMonth(tz: string, nowMs: number): string {
  return localDate(tz, Math.floor(nowMs / 1000)).slice(0, 7);
}
