// Adapter from the cost module (cost/index.ts, computeCost) to the report's cost section: the
// report shows the same figures as `postino cost` and `/api/cost` for the month.
import type { Db } from '../../core/db/open';
import type { Config } from '../../core/config/schema';
import type { CostSection } from '../model/types';
import { computeCost } from '../../cost/index';

type Maybe = number | null | undefined;

/** The shape of `postino cost --json` the report reads, typed loosely enough to map from it. */
export interface CostReportLike {
  currency?: string;
  mailboxes?: Maybe;
  investment_per_mailbox?: Maybe;
  running_per_mailbox_year?: Maybe;
  full_per_mailbox_year?: Maybe;
  per_delivered_message?: Maybe;
  budget?: { budgeted_yearly?: Maybe; budgeted_yearly_cost?: Maybe; actual?: Maybe; forecast?: Maybe; forecast_year?: Maybe } | null;
  departments?: Array<{ name?: string; department?: string; share?: Maybe; cost?: Maybe; full_cost?: Maybe }>;
  storage?: Array<{ label?: string; date?: string; month?: string; gb?: Maybe; used_gb?: Maybe }>;
  scenarios?: Array<{ name: string; mailboxes?: Maybe; investment_per_mailbox?: Maybe; running_per_mailbox_year?: Maybe; full_per_mailbox_year?: Maybe }>;
}

export function costSource(db: Db, config: Config, window: { from: string; to: string }): CostReportLike | null {
  const c = computeCost(db, config, window);
  return {
    currency: c.currency,
    mailboxes: c.mailboxes,
    investment_per_mailbox: c.investment_per_mailbox,
    running_per_mailbox_year: c.running_per_mailbox_year,
    full_per_mailbox_year: c.full_per_mailbox_year,
    per_delivered_message: c.per_delivered_message,
    budget: { budgeted_yearly_cost: c.budget.budgeted_yearly_cost, actual: c.budget.spent_to_date, forecast_year: c.budget.forecast_year },
    departments: c.departments.map((d) => ({ department: d.department, share: d.ratio, cost: d.cost })),
    storage: c.storage.available ? c.storage.days.map((d) => ({ date: d.date, gb: d.used_gb })) : [],
    scenarios: c.scenarios,
  };
}

const num = (v: Maybe): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function toCostSection(c: CostReportLike, currency: string): CostSection {
  return {
    currency: c.currency ?? currency,
    mailboxes: num(c.mailboxes),
    investment_per_mailbox: num(c.investment_per_mailbox),
    running_per_mailbox_year: num(c.running_per_mailbox_year),
    full_per_mailbox_year: num(c.full_per_mailbox_year),
    per_delivered_message: num(c.per_delivered_message),
    budget: c.budget
      ? { budgeted_yearly: num(c.budget.budgeted_yearly ?? c.budget.budgeted_yearly_cost), actual: num(c.budget.actual), forecast_year: num(c.budget.forecast_year ?? c.budget.forecast) }
      : null,
    departments: (c.departments ?? []).map((d) => ({ name: d.name ?? d.department ?? '?', share: num(d.share), cost: num(d.cost ?? d.full_cost) })),
    storage: (c.storage ?? []).flatMap((s) => {
      const gb = num(s.gb ?? s.used_gb);
      return gb === null ? [] : [{ label: s.label ?? s.month ?? s.date ?? '', gb }];
    }),
    scenarios: (c.scenarios ?? []).map((s) => ({
      name: s.name,
      mailboxes: num(s.mailboxes),
      investment_per_mailbox: num(s.investment_per_mailbox),
      running_per_mailbox_year: num(s.running_per_mailbox_year),
      full_per_mailbox_year: num(s.full_per_mailbox_year),
    })),
  };
}
