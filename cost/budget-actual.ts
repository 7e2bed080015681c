// Budget against actual for the calendar year of the window's last day. postino has no ledger:
// "actual" is the model's cost accrued day by day since the service started. Capital (spend x
// share and one-off upkeep, written off over the lifetime) accrues from service_start for
// lifetime_years, and for ever when the system is replaced at the end of its life; yearly upkeep
// accrues from service_start. Pure.
import { daysInYear } from './model';

export interface AccrualModel {
  service_start: string;
  lifetime_years: number;
  replace_at_end_of_life: boolean;
  /** investment / lifetime + one-off upkeep / lifetime */
  capital_year: number;
  /** yearly upkeep (and storage bought as a service) */
  operating_year: number;
}

export interface BudgetVsActual {
  year: number;
  budgeted_yearly_cost: number;
  /** accrued from 1 January (or the service start) to the window's last day */
  spent_to_date: number;
  through: string;
  /** accrued over the whole year at the same rules */
  forecast_year: number;
  /** forecast - budget (negative: under budget) */
  variance: number;
  /** the day capital stops accruing (null: replaced at end of life, so never) */
  written_off_on: string | null;
}

function addYears(date: string, years: number): string {
  const whole = Math.floor(years);
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + whole);
  const rest = Math.round((years - whole) * 365.25);
  return new Date(d.getTime() + rest * 86_400_000).toISOString().slice(0, 10);
}

/** Cost accrued over the local dates from..to inclusive. */
export function accrued(m: AccrualModel, from: string, to: string): number {
  const end = m.replace_at_end_of_life ? null : addYears(m.service_start, m.lifetime_years);
  let sum = 0;
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    if (day < m.service_start) continue;
    const n = daysInYear(new Date(t).getUTCFullYear());
    sum += m.operating_year / n;
    if (end === null || day < end) sum += m.capital_year / n;
  }
  return sum;
}

export function budgetVsActual(m: AccrualModel, budgeted: number, to: string): BudgetVsActual {
  const year = Number(to.slice(0, 4));
  const spent = accrued(m, `${year}-01-01`, to);
  const forecast = accrued(m, `${year}-01-01`, `${year}-12-31`);
  return {
    year,
    budgeted_yearly_cost: budgeted,
    spent_to_date: spent,
    through: to,
    forecast_year: forecast,
    variance: forecast - budgeted,
    written_off_on: m.replace_at_end_of_life ? null : addYears(m.service_start, m.lifetime_years),
  };
}
