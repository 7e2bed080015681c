// Converts wall-clock times in an IANA zone to unix seconds, fast enough for millions of
// lines: the zone offset is computed once per (zone, local hour) and cached.

const offsetCache = new Map<string, number>();
/** Per zone: offset by a numeric (year, month, day, hour) key, for the usual in-range values. */
const numericCache = new Map<string, Map<number, number>>();
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Offset of `tz` from UTC, in seconds, at the instant `utcSeconds`. */
export function zoneOffsetAt(tz: string, utcSeconds: number): number {
  const parts = formatterFor(tz).formatToParts(new Date(utcSeconds * 1000));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) / 1000;
  return asUtc - Math.floor(utcSeconds);
}

/** Throws a RangeError for an unknown zone: call once when validating config. */
export function assertTimeZone(tz: string): void {
  formatterFor(tz);
}

/**
 * Unix seconds for a wall-clock time in `tz`. `month` is 1-12. In the repeated hour of a
 * DST change the first (summer-time) instant is chosen; a time in the skipped hour maps
 * forward, as syslog daemons that print local time would have printed it.
 */
export function localToUnix(tz: string, year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  let offset: number | undefined;
  // numeric key when every part is a small non-negative integer (always, for parsed stamps); a string key otherwise
  const numeric =
    Number.isInteger(year) && year >= 0 && year < 100_000 && Number.isInteger(month) && month >= 0 && month < 16 &&
    Number.isInteger(day) && day >= 0 && day < 32 && Number.isInteger(hour) && hour >= 0 && hour < 32;
  let zone: Map<number, number> | undefined;
  let nkey = 0;
  let key = '';
  if (numeric) {
    zone = numericCache.get(tz);
    if (!zone) {
      zone = new Map();
      numericCache.set(tz, zone);
    }
    nkey = ((year * 16 + month) * 32 + day) * 32 + hour;
    offset = zone.get(nkey);
  } else {
    key = `${tz}|${year}|${month}|${day}|${hour}`;
    offset = offsetCache.get(key);
  }
  if (offset === undefined) {
    const guess = Date.UTC(year, month - 1, day, hour, 0, 0) / 1000;
    // Two passes converge for every real zone (offset changes at most once near a time).
    let o = zoneOffsetAt(tz, guess);
    o = zoneOffsetAt(tz, guess - o);
    offset = o;
    if (zone) {
      if (zone.size > 50_000) zone.clear();
      zone.set(nkey, offset);
    } else {
      if (offsetCache.size > 50_000) offsetCache.clear();
      offsetCache.set(key, offset);
    }
  }
  return Date.UTC(year, month - 1, day, hour, minute, 0) / 1000 + second - offset;
}

/** The calendar date (YYYY-MM-DD) in `tz` of an instant. */
export function localDate(tz: string, utcSeconds: number): string {
  const d = new Date((utcSeconds + zoneOffsetAt(tz, utcSeconds)) * 1000);
  return d.toISOString().slice(0, 10);
}

/** [start, end) unix seconds of the calendar day `date` (YYYY-MM-DD) in `tz`. */
export function dayBounds(tz: string, date: string): [number, number] {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const start = localToUnix(tz, y, m, d, 0, 0, 0);
  const next = new Date(Date.UTC(y, m - 1, d + 1));
  const end = localToUnix(tz, next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, 0, 0);
  return [start, end];
}

/** Each date from `from` to `to` inclusive (YYYY-MM-DD strings). */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  const t0 = Date.parse(`${from}T00:00:00Z`);
  const t1 = Date.parse(`${to}T00:00:00Z`);
  for (let t = t0; t <= t1; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** `YYYY-MM-DD HH:MM:SS` wall-clock time of an instant in `tz`. */
export function formatLocal(tz: string, utcSeconds: number): string {
  const d = new Date((utcSeconds + zoneOffsetAt(tz, utcSeconds)) * 1000);
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

/** The calendar date `days` after (or before, when negative) `date`; YYYY-MM-DD, zone-free. */
export function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** How many calendar dates from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** True for a real calendar date written YYYY-MM-DD (not 2026-02-30). */
export function isCalendarDate(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const t = Date.parse(`${v}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === v;
}
