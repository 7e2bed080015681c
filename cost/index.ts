// computeCost: every cost figure of a window (METRICS.md, Cost), as `postino cost --json`
// prints it, `/api/cost` serves it and the monthly report renders it. Departments and totals
// only: no address leaves this function.
import type { Db } from '../core/db/open';
import type { Config } from '../core/config/schema';
import type { AllocationMethod } from '../core/config/budget-schema';
import { dayBounds } from '../core/time/local-time';
import { computeFigures, roundFigures, scenarioFigures, yearsBetween, cents, type CostModel, type Usage, type ScenarioResult } from './model';
import { mailboxUse, dailyActiveMailboxes, deliveredPerDay, countMailboxes } from './mailbox-queries';
import { storageReport, usedByMailbox, GB, type StorageReport, type NoStorage } from './storage';
import { DepartmentMap, UNALLOCATED, allocationRatios, type DepartmentUsage } from './departments';
import { chargebackRows, monthSegments, type ChargebackRow } from './chargeback';
import { budgetVsActual, type BudgetVsActual } from './budget-actual';

export { chargebackCsv } from './chargeback';

export interface CostItem {
  name: string;
  kind: 'investment' | 'one-off upkeep' | 'yearly upkeep';
  amount: number;
  share: number;
  charged: number;
  /** what it costs a year: charged / lifetime for investment and one-off upkeep */
  per_year: number;
  storage: boolean;
}

export interface DepartmentRow {
  department: string;
  mailboxes: number;
  messages: number;
  used_gb: number | null;
  ratio: number;
  cost: number;
}

export interface CostReport {
  from: string;
  to: string;
  tz: string;
  currency: string;
  mailboxes: number;
  mailboxes_source: 'counted' | 'fixed';
  mailboxes_counted: number;
  delivered: number;
  investment_per_mailbox: number | null;
  running_per_mailbox_year: number | null;
  full_per_mailbox_year: number | null;
  per_delivered_message: number | null;
  per_gb_quota_year: number | null;
  per_gb_used_year: number | null;
  storage_per_gb_used_year: number | null;
  totals: { investment: number; running_year: number; full_year: number; storage_year: number; storage_fraction: number | null; window_budget: number };
  items: CostItem[];
  budget: BudgetVsActual;
  daily_mailboxes: Array<{ date: string; mailboxes: number }>;
  monthly: Array<{ from: string; to: string; mailboxes: number; delivered: number; cost: number; per_delivered_message: number | null; full_per_mailbox_year: number | null }>;
  storage: StorageReport | NoStorage;
  allocation: { method: AllocationMethod; configured: AllocationMethod; note: string | null };
  departments: DepartmentRow[];
  chargeback: ChargebackRow[];
  scenarios: ScenarioResult[];
  /** the pure model's inputs, for the page's what-if sliders (cost/model.ts in the browser) */
  model: CostModel;
  usage: Usage;
}

export function costModel(config: Config): CostModel {
  const b = config.budget;
  return { lifetime_years: b.lifetime_years, items: b.items, one_off_upkeep: b.one_off_upkeep, yearly_upkeep: b.yearly_upkeep, quota_gb: b.quota_gb, storage_per_mailbox_year: null };
}

function itemsOf(config: Config): CostItem[] {
  const b = config.budget;
  const life = b.lifetime_years;
  return [
    ...b.items.map((i) => ({ name: i.name, kind: 'investment' as const, amount: i.spend, share: i.share, charged: cents(i.spend * i.share), per_year: cents((i.spend * i.share) / life), storage: i.storage })),
    ...b.one_off_upkeep.map((i) => ({ name: i.name, kind: 'one-off upkeep' as const, amount: i.amount, share: i.share, charged: cents(i.amount * i.share), per_year: cents((i.amount * i.share) / life), storage: i.storage })),
    ...b.yearly_upkeep.map((i) => ({ name: i.name, kind: 'yearly upkeep' as const, amount: i.amount, share: i.share, charged: cents(i.amount * i.share), per_year: cents(i.amount * i.share), storage: i.storage })),
  ];
}

export function computeCost(db: Db, config: Config, window: { from: string; to: string }): CostReport {
  const { from, to } = window;
  const tz = config.timezone;
  const b = config.budget;
  const start = dayBounds(tz, from)[0];
  const end = dayBounds(tz, to)[1];

  const use = mailboxUse(db, start, end);
  const counted = use.size;
  const mailboxes = b.mailboxes ?? counted;
  const days = deliveredPerDay(db, tz, from, to);
  const delivered = days.reduce((s, d) => s + d.delivered, 0);
  const storage = storageReport(db, from, to, b.storage_capacity_tb);
  const model = costModel(config);
  const usage: Usage = { mailboxes, delivered, years: yearsBetween(from, to), used_gb: storage.available ? storage.used_gb : null };
  const raw = computeFigures(model, usage);
  const fig = roundFigures(raw);
  const budgeted = b.budgeted_yearly_cost ?? raw.full_year;

  // departments: mailboxes and messages from the logs, storage from the latest snapshot
  const map = new DepartmentMap(b.departments);
  const names = [...b.departments.map((d) => d.name), UNALLOCATED];
  const byDep = new Map<string, DepartmentUsage>(names.map((n) => [n, { department: n, mailboxes: 0, messages: 0, used_bytes: storage.available ? 0 : null }]));
  for (const [addr, messages] of use) {
    const row = byDep.get(map.departmentOf(addr))!;
    row.mailboxes++;
    row.messages += messages;
  }
  if (storage.available) {
    for (const [addr, bytes] of usedByMailbox(db, storage.date)) byDep.get(map.departmentOf(addr))!.used_bytes! += bytes;
  }
  const depRows = names.map((n) => byDep.get(n)!);
  const alloc = allocationRatios(depRows, b.allocation);
  const chargeback = chargebackRows(
    budgeted,
    from,
    to,
    depRows.map((d, i) => ({ department: d.department, mailboxes: d.mailboxes, ratio: alloc.ratios[i]! })),
  );
  const costOf = new Map<string, number>();
  for (const r of chargeback) costOf.set(r.department, (costOf.get(r.department) ?? 0) + Math.round(r.cost * 100));

  const monthly = monthSegments(from, to).map((seg) => {
    const [s] = dayBounds(tz, seg.from);
    const [, e] = dayBounds(tz, seg.to);
    const m = b.mailboxes ?? countMailboxes(db, s, e);
    const d = days.filter((x) => x.date >= seg.from && x.date <= seg.to).reduce((acc, x) => acc + x.delivered, 0);
    const cost = raw.full_year * yearsBetween(seg.from, seg.to);
    return { from: seg.from, to: seg.to, mailboxes: m, delivered: d, cost: cents(cost), per_delivered_message: d > 0 ? Math.round((cost / d) * 10_000) / 10_000 : null, full_per_mailbox_year: m > 0 ? cents(raw.full_year / m) : null };
  });

  const life = b.lifetime_years;
  const capital = raw.investment / life + b.one_off_upkeep.reduce((s, i) => s + i.amount * i.share, 0) / life;
  const bva = budgetVsActual(
    { service_start: b.service_start, lifetime_years: life, replace_at_end_of_life: b.replace_at_end_of_life, capital_year: capital, operating_year: raw.full_year - capital },
    budgeted,
    to,
  );

  return {
    from,
    to,
    tz,
    currency: b.currency,
    mailboxes,
    mailboxes_source: b.mailboxes === null ? 'counted' : 'fixed',
    mailboxes_counted: counted,
    delivered,
    investment_per_mailbox: fig.investment_per_mailbox,
    running_per_mailbox_year: fig.running_per_mailbox_year,
    full_per_mailbox_year: fig.full_per_mailbox_year,
    per_delivered_message: fig.per_delivered_message,
    per_gb_quota_year: fig.per_gb_quota_year,
    per_gb_used_year: fig.per_gb_used_year,
    storage_per_gb_used_year: fig.storage_per_gb_used_year,
    totals: {
      investment: fig.investment,
      running_year: fig.running_year,
      full_year: fig.full_year,
      storage_year: fig.storage_year,
      storage_fraction: fig.storage_fraction,
      window_budget: chargeback.reduce((s, r) => s + Math.round(r.cost * 100), 0) / 100,
    },
    items: itemsOf(config),
    budget: { ...bva, budgeted_yearly_cost: cents(bva.budgeted_yearly_cost), spent_to_date: cents(bva.spent_to_date), forecast_year: cents(bva.forecast_year), variance: cents(bva.variance) },
    daily_mailboxes: dailyActiveMailboxes(db, tz, from, to),
    monthly,
    storage,
    allocation: { method: alloc.method, configured: b.allocation, note: alloc.note },
    departments: depRows.map((d, i) => ({
      department: d.department,
      mailboxes: d.mailboxes,
      messages: d.messages,
      used_gb: d.used_bytes === null ? null : Math.round((d.used_bytes / GB) * 100) / 100,
      ratio: Math.round(alloc.ratios[i]! * 1_000_000) / 1_000_000,
      cost: (costOf.get(d.department) ?? 0) / 100,
    })),
    chargeback,
    scenarios: b.scenarios.map((s) => scenarioFigures(model, usage, s)),
    model,
    usage,
  };
}
