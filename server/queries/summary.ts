// Daily figures (METRICS.md) with derived rates, totals and the defense funnel: all from rollups.
import type { Db } from '../../core/db/open';
import { dailyFigures, type DayFigures } from '../../core/rollup/rollup';
import { emptyFigures, figureNames, spamRate, preQueueBlockRate, type Figures } from '../../core/rollup/figures';


/** Totals of additive figures; unique_users is not additive, so the total carries the busiest day's. */
export function totalFigures(days: DayFigures[]): Figures {
  const t = emptyFigures();
  for (const d of days) for (const n of figureNames) t[n] = n === 'unique_users' ? Math.max(t[n], d[n]) : t[n] + d[n];
  return t;
}

export function summary(db: Db, tz: string, from: string, to: string) {
  const days = dailyFigures(db, tz, from, to).map((d) => ({ ...d, spam_rate: spamRate(d), pre_queue_block_rate: preQueueBlockRate(d) }));
  const totals = totalFigures(days);
  return { from, to, tz, days, totals: { ...totals, spam_rate: spamRate(totals), pre_queue_block_rate: preQueueBlockRate(totals) } };
}

export interface FunnelStep {
  step: string;
  label: string;
  n: number;
  /** share of the previous step */
  of_previous: number | null;
}

export function funnel(f: Figures): FunnelStep[] {
  const steps: Array<[string, string, number]> = [
    ['connections', 'SMTP connections', f.connections],
    ['connections_passed', 'passed postscreen', f.connections_passed],
    ['received', 'accepted (queued)', f.received],
    ['clean_or_tagged', 'passed the content filter', f.clean + f.spam_tagged],
    ['delivered', 'delivered', f.delivered],
  ];
  return steps.map(([step, label, n], i) => {
    const prev = i > 0 ? steps[i - 1]![2] : null;
    return { step, label, n, of_previous: prev === null ? null : prev === 0 ? null : n / prev };
  });
}
