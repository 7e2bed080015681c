// The cost model of METRICS.md ("Cost"), as pure arithmetic: the server, the PDF report and the
// cost page's what-if sliders (bundled for the browser) all run this one module, so a scenario
// moved on the page gives exactly what `postino cost` prints. No imports but types.

export interface SpendItem {
  name: string;
  spend: number;
  share: number;
  storage: boolean;
}

export interface UpkeepItem {
  name: string;
  amount: number;
  share: number;
  storage: boolean;
}

/** The model's inputs that do not come from the logs (config `budget`). */
export interface CostModel {
  lifetime_years: number;
  items: SpendItem[];
  one_off_upkeep: UpkeepItem[];
  yearly_upkeep: UpkeepItem[];
  quota_gb: number;
  /** storage bought per mailbox and year instead of the storage items (the Ceph scenario); null = own storage */
  storage_per_mailbox_year: number | null;
}

/** What the logs and snapshots measured over the window. */
export interface Usage {
  mailboxes: number;
  /** inbound messages delivered in the window */
  delivered: number;
  /** length of the window in years (each day counts 1/365 or 1/366) */
  years: number;
  /** GB used on the mailbox servers (latest snapshot); null without snapshots */
  used_gb: number | null;
}

export interface Figures {
  mailboxes: number;
  /** sum(spend x share) */
  investment: number;
  investment_per_mailbox: number | null;
  /** yearly upkeep x share + one-off upkeep / lifetime (+ storage service) */
  running_year: number;
  running_per_mailbox_year: number | null;
  /** investment / lifetime + running */
  full_year: number;
  full_per_mailbox_year: number | null;
  /** the window's share of full_year, over the messages delivered in it */
  per_delivered_message: number | null;
  /** full yearly cost over the quota handed out (mailboxes x quota) */
  per_gb_quota_year: number | null;
  /** full yearly cost over the GB actually used */
  per_gb_used_year: number | null;
  /** storage part of the full yearly cost */
  storage_year: number;
  storage_per_gb_used_year: number | null;
  /** storage_year / full_year */
  storage_fraction: number | null;
}

/** Rounds to the cent; the tiny factor keeps 1.005-style binary ties from rounding down. */
export function cents(x: number): number {
  return Math.round(x * 100 * (1 + 2 * Number.EPSILON)) / 100;
}

function nullableCents(x: number | null): number | null {
  return x === null || !Number.isFinite(x) ? null : cents(x);
}

function per(x: number, n: number): number | null {
  return n > 0 ? x / n : null;
}

/** The figures, unrounded (callers round at the edge: sums of rounded parts drift). */
export function computeFigures(model: CostModel, usage: Usage): Figures {
  const own = model.storage_per_mailbox_year === null;
  // With storage bought as a service, the storage items and upkeep are not bought at all.
  const items = model.items.filter((i) => own || !i.storage);
  const oneOff = model.one_off_upkeep.filter((i) => own || !i.storage);
  const yearly = model.yearly_upkeep.filter((i) => own || !i.storage);
  const life = model.lifetime_years;
  const investment = items.reduce((s, i) => s + i.spend * i.share, 0);
  const service = own ? 0 : model.storage_per_mailbox_year! * usage.mailboxes;
  const running = yearly.reduce((s, i) => s + i.amount * i.share, 0) + oneOff.reduce((s, i) => s + i.amount * i.share, 0) / life + service;
  const full = investment / life + running;
  const storage = own
    ? items.filter((i) => i.storage).reduce((s, i) => s + (i.spend * i.share) / life, 0) +
      oneOff.filter((i) => i.storage).reduce((s, i) => s + (i.amount * i.share) / life, 0) +
      yearly.filter((i) => i.storage).reduce((s, i) => s + i.amount * i.share, 0)
    : service;
  const m = usage.mailboxes;
  const usedGb = usage.used_gb !== null && usage.used_gb > 0 ? usage.used_gb : null;
  return {
    mailboxes: m,
    investment,
    investment_per_mailbox: per(investment, m),
    running_year: running,
    running_per_mailbox_year: per(running, m),
    full_year: full,
    full_per_mailbox_year: per(full, m),
    per_delivered_message: per(full * usage.years, usage.delivered),
    per_gb_quota_year: per(full, m * model.quota_gb),
    per_gb_used_year: usedGb === null ? null : full / usedGb,
    storage_year: storage,
    storage_per_gb_used_year: usedGb === null ? null : storage / usedGb,
    storage_fraction: per(storage, full),
  };
}

export type RoundedFigures = Figures;

/** Every money figure to the cent (per message and the storage fraction to 4 decimals), as the CLI and API print them. */
export function roundFigures(f: Figures): RoundedFigures {
  return {
    mailboxes: f.mailboxes,
    investment: cents(f.investment),
    investment_per_mailbox: nullableCents(f.investment_per_mailbox),
    running_year: cents(f.running_year),
    running_per_mailbox_year: nullableCents(f.running_per_mailbox_year),
    full_year: cents(f.full_year),
    full_per_mailbox_year: nullableCents(f.full_per_mailbox_year),
    // a message costs a fraction of a cent: to the hundredth of a cent, or it would print 0.00
    per_delivered_message: f.per_delivered_message === null ? null : Math.round(f.per_delivered_message * 10_000 * (1 + 2 * Number.EPSILON)) / 10_000,
    per_gb_quota_year: nullableCents(f.per_gb_quota_year),
    per_gb_used_year: nullableCents(f.per_gb_used_year),
    storage_year: cents(f.storage_year),
    storage_per_gb_used_year: nullableCents(f.storage_per_gb_used_year),
    storage_fraction: f.storage_fraction === null ? null : Math.round(f.storage_fraction * 10_000) / 10_000,
  };
}

/** A what-if: the same model with other inputs (config `budget.scenarios`, or the page's sliders). */
export interface Scenario {
  name: string;
  mailboxes?: number | undefined;
  quota_gb?: number | undefined;
  /** item or upkeep name -> its new spend (amount) */
  spends?: Record<string, number> | undefined;
  storage_per_mailbox_year?: number | undefined;
}

/**
 * The model and usage a scenario stands for. Another mailbox count keeps what each mailbox
 * does: delivered messages and GB used scale with it.
 */
export function applyScenario(model: CostModel, usage: Usage, s: Scenario): { model: CostModel; usage: Usage } {
  const spends = s.spends ?? {};
  const spend = <T extends { name: string }>(x: T, key: 'spend' | 'amount'): T => (x.name in spends ? { ...x, [key]: spends[x.name] } : x);
  const m: CostModel = {
    ...model,
    items: model.items.map((i) => spend(i, 'spend')),
    one_off_upkeep: model.one_off_upkeep.map((i) => spend(i, 'amount')),
    yearly_upkeep: model.yearly_upkeep.map((i) => spend(i, 'amount')),
    quota_gb: s.quota_gb ?? model.quota_gb,
    storage_per_mailbox_year: s.storage_per_mailbox_year ?? model.storage_per_mailbox_year,
  };
  const mailboxes = s.mailboxes ?? usage.mailboxes;
  const k = usage.mailboxes > 0 ? mailboxes / usage.mailboxes : 0;
  return {
    model: m,
    usage: {
      mailboxes,
      years: usage.years,
      delivered: usage.delivered * k,
      used_gb: usage.used_gb === null ? null : usage.used_gb * k,
    },
  };
}

export interface ScenarioResult extends RoundedFigures {
  name: string;
}

export function scenarioFigures(model: CostModel, usage: Usage, s: Scenario): ScenarioResult {
  const x = applyScenario(model, usage, s);
  return { name: s.name, ...roundFigures(computeFigures(x.model, x.usage)) };
}

/** Days of `year`: 365 or 366. */
export function daysInYear(year: number): number {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 366 : 365;
}

/** Length in years of the local dates from..to inclusive, each day 1/days-of-its-year. */
export function yearsBetween(from: string, to: string): number {
  let years = 0;
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  for (let t = a; t <= b; t += 86_400_000) years += 1 / daysInYear(new Date(t).getUTCFullYear());
  return years;
}
