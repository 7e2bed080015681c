// The executive summary's key figures against the previous month and the same month last year.
// Counts are compared by their daily average over the days with data, so a 28-day February or a
// month with a gap in the logs is not read as a fall in traffic; rates by their difference in
// percentage points; the busiest day's unique users as they are.
import type { Figures } from '../../core/rollup/figures';
import type { KeyFigure, KeyFigureName, PeriodFigures } from './types';

const counts: Array<[KeyFigureName, (f: Figures) => number]> = [
  ['delivered', (f) => f.delivered],
  ['blocked', (f) => f.spam_blocked + f.virus_blocked],
  ['rejected', (f) => f.rejected],
  ['connections', (f) => f.connections],
  ['logins', (f) => f.imap_logins + f.pop3_logins],
];

function dailyAverage(p: PeriodFigures, pick: (f: Figures) => number): number | null {
  return p.days_with_data === 0 ? null : pick(p.totals) / p.days_with_data;
}

function relative(cur: number | null, base: number | null): number | null {
  if (cur === null || base === null || base === 0) return null;
  return cur / base - 1;
}

export function keyFigures(cur: PeriodFigures, prev: PeriodFigures, lastYear: PeriodFigures): KeyFigure[] {
  const value = (p: PeriodFigures, pick: (f: Figures) => number): number | null => (p.days_with_data === 0 ? null : pick(p.totals));
  const out: KeyFigure[] = counts.map(([name, pick]) => ({
    name,
    kind: 'count',
    value: value(cur, pick),
    previous: value(prev, pick),
    last_year: value(lastYear, pick),
    change_previous: relative(dailyAverage(cur, pick), dailyAverage(prev, pick)),
    change_last_year: relative(dailyAverage(cur, pick), dailyAverage(lastYear, pick)),
  }));
  const points = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : a - b);
  out.splice(2, 0, {
    name: 'spam_rate',
    kind: 'rate',
    value: cur.spam_rate,
    previous: prev.spam_rate,
    last_year: lastYear.spam_rate,
    change_previous: points(cur.spam_rate, prev.spam_rate),
    change_last_year: points(cur.spam_rate, lastYear.spam_rate),
  });
  const peak = (p: PeriodFigures): number | null => (p.days_with_data === 0 ? null : p.totals.unique_users);
  out.push({
    name: 'unique_users',
    kind: 'peak',
    value: peak(cur),
    previous: peak(prev),
    last_year: peak(lastYear),
    change_previous: relative(peak(cur), peak(prev)),
    change_last_year: relative(peak(cur), peak(lastYear)),
  });
  return out;
}
