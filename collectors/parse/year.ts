// Year resolvers for traditional syslog stamps (`Mon dd hh:mm:ss`), which carry no year.
import type { YearResolver } from './index';

/** Year and month (1-12) of an instant, as seen on a wall clock in `tz`. */
function yearMonthIn(tz: string, at: Date): [number, number] {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, year: 'numeric', month: 'numeric' }).formatToParts(at);
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? NaN);
  const y = get('year');
  const m = get('month');
  if (!Number.isFinite(y) || !Number.isFinite(m)) return [at.getUTCFullYear(), at.getUTCMonth() + 1];
  return [y, m];
}

/**
 * For a file last modified at `mtime`: its lines were written before mtime, so a line whose
 * month is after mtime's month (in `tz`) belongs to the previous year (the file spans New Year).
 */
export function yearFromMtime(mtime: Date, tz: string): YearResolver {
  const [year, month] = yearMonthIn(tz, mtime);
  return (m: number): number => (m > month ? year - 1 : year);
}

/**
 * For `--year Y`: the first line is in `firstYear`; each time the month goes backwards by more
 * than 6 (Dec -> Jan) the year increments. A month that jumps forwards by more than 6 right
 * after such a rollover (a late Dec line interleaved after Jan lines on a central log host)
 * belongs to the previous year and does not move the state.
 */
export function yearFromStart(firstYear: number): YearResolver {
  let year = firstYear;
  let last = 0;
  return (m: number): number => {
    if (last === 0) {
      last = m;
      return year;
    }
    if (m < last - 6) {
      year += 1;
      last = m;
      return year;
    }
    if (m > last + 6 && year > firstYear) return year - 1;
    last = m;
    return year;
  };
}

/** How to resolve the years of a source, as plain data (it crosses to the ingest thread). */
export type YearSpec = { start: number } | { mtimeMs: number };

export function yearResolver(spec: YearSpec, tz: string): YearResolver {
  return 'start' in spec ? yearFromStart(spec.start) : yearFromMtime(new Date(spec.mtimeMs), tz);
}
