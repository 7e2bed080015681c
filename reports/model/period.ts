// A month's figures from the day rollups (core/rollup): totals, rates, days with data.
import type { Db } from '../../core/db/open';
import { dailyFigures, type DayFigures } from '../../core/rollup/rollup';
import { emptyFigures, figureNames, spamRate, preQueueBlockRate, type Figures } from '../../core/rollup/figures';
import { monthRange } from './month';
import type { PeriodFigures } from './types';

export function hasData(f: Figures): boolean {
  return figureNames.some((n) => f[n] !== 0);
}

/** Additive figures summed; unique_users is not additive, so the month carries its busiest day's. */
export function sumDays(days: DayFigures[]): Figures {
  const t = emptyFigures();
  for (const d of days) for (const n of figureNames) t[n] = n === 'unique_users' ? Math.max(t[n], d[n]) : t[n] + d[n];
  return t;
}

export function monthDays(db: Db, tz: string, month: string): DayFigures[] {
  const { from, to } = monthRange(month);
  return dailyFigures(db, tz, from, to);
}

export function periodFigures(month: string, days: DayFigures[]): PeriodFigures {
  const { from, to } = monthRange(month);
  const totals = sumDays(days);
  return {
    month,
    from,
    to,
    days: days.length,
    days_with_data: days.filter(hasData).length,
    totals,
    spam_rate: spamRate(totals),
    pre_queue_block_rate: preQueueBlockRate(totals),
  };
}
