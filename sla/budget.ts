// The error budget (what the target allows to be down) and how fast it burns, per service.
// Burn rate = the bad share of a window / (1 - target); the alerts are the SRE Workbook's
// multiwindow ones: page when both the 1 h and the 5 min windows burn at 14.4x or more (2% of
// a 30-day budget in an hour), ticket when both the 6 h and the 30 min windows burn at 6x.
import type { ServiceName } from '../core/services';
import { dayBounds, localDate, shiftDate } from '../core/time/local-time';
import type { Ledger } from './ledger';
import { iso } from './maintenance';
import type { BudgetPeriod, BurnRate } from './types';

export const PAGE_BURN = 14.4;
export const TICKET_BURN = 6;
const WINDOWS = { '5m': 300, '30m': 1800, '1h': 3600, '6h': 21_600 } as const;

/** [start, end) of the calendar month (in tz) holding the instant `at`. */
export function monthBounds(tz: string, at: number): [number, number] {
  const d = localDate(tz, at);
  const first = `${d.slice(0, 7)}-01`;
  const next = shiftDate(first, 32).slice(0, 7) + '-01';
  return [dayBounds(tz, first)[0], dayBounds(tz, next)[0]];
}

function period(ledger: Ledger, service: ServiceName, kind: BudgetPeriod['kind'], from: number, to: number, target: number): BudgetPeriod {
  const elapsedEnd = Math.min(to, ledger.asOf);
  const used = ledger.service(service, from, elapsedEnd)?.down ?? 0;
  const maintenance = ledger.service(service, from, to)?.maintenance ?? 0;
  // The budget of the whole period, maintenance left out; unknown time is not known yet in a
  // period still running, so it does not shrink the budget.
  const budget = (1 - target) * (to - from - maintenance);
  const r3 = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    kind,
    from: iso(from),
    to: iso(to),
    target,
    budget_s: r3(budget),
    used_s: r3(used),
    left_s: r3(budget - used),
    used_share: budget > 0 ? Math.round((used / budget) * 1e6) / 1e6 : used > 0 ? 1 : 0,
  };
}

export function budgets(ledger: Ledger, tz: string, service: ServiceName, target: number): BudgetPeriod[] {
  const [ms, me] = monthBounds(tz, Math.max(0, ledger.asOf - 1));
  return [period(ledger, service, 'calendar_month', ms, me, target), period(ledger, service, 'rolling_30d', ledger.asOf - 30 * 86_400, ledger.asOf, target)];
}

export function burnRate(ledger: Ledger, service: ServiceName, target: number): BurnRate {
  const allowed = 1 - target;
  const burn = { '5m': 0, '30m': 0, '1h': 0, '6h': 0 };
  for (const [name, s] of Object.entries(WINDOWS) as Array<[keyof typeof WINDOWS, number]>) {
    const f = ledger.service(service, ledger.asOf - s, ledger.asOf);
    const bad = f && f.known > 0 ? f.down / f.known : 0;
    burn[name] = allowed > 0 ? Math.round((bad / allowed) * 1000) / 1000 : bad > 0 ? Infinity : 0;
  }
  return { service, burn, page: burn['1h'] >= PAGE_BURN && burn['5m'] >= PAGE_BURN, ticket: burn['6h'] >= TICKET_BURN && burn['30m'] >= TICKET_BURN };
}
