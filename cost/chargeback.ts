// Chargeback rows: the budget for the window, cut into calendar months and then into
// departments, each cut by largest remainder so that every level adds up to the one above to
// the cent (the window's cost = sum of its months = sum of all rows). CSV with FOCUS-style
// column names. Pure.
import { largestRemainder } from './departments';
import { yearsBetween } from './model';
import { shiftDate } from '../core/time/local-time';

export interface Segment {
  /** first local date, inclusive */
  from: string;
  /** last local date, inclusive */
  to: string;
}

/** The calendar months (cut to the window) that the window touches. */
export function monthSegments(from: string, to: string): Segment[] {
  const out: Segment[] = [];
  let start = from;
  while (start <= to) {
    const [y, m] = start.split('-').map(Number) as [number, number];
    const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
    const end = shiftDate(next, -1) < to ? shiftDate(next, -1) : to;
    out.push({ from: start, to: end });
    start = next;
  }
  return out;
}

export interface DepartmentShare {
  department: string;
  mailboxes: number;
  ratio: number;
}

export interface ChargebackRow {
  period_start: string;
  /** exclusive, as FOCUS's BillingPeriodEnd */
  period_end: string;
  department: string;
  mailboxes: number;
  ratio: number;
  cost: number;
}

/** Window cost (euro) = yearly budget x the window's length in years, cut by month then department. */
export function chargebackRows(yearlyBudget: number, from: string, to: string, shares: DepartmentShare[]): ChargebackRow[] {
  const segments = monthSegments(from, to);
  const lengths = segments.map((s) => yearsBetween(s.from, s.to));
  const windowCost = yearlyBudget * lengths.reduce((s, x) => s + x, 0);
  const monthCosts = largestRemainder(windowCost, lengths);
  const ratios = shares.map((s) => s.ratio);
  const rows: ChargebackRow[] = [];
  segments.forEach((seg, i) => {
    const parts = largestRemainder(monthCosts[i]!, ratios);
    shares.forEach((s, j) => {
      rows.push({ period_start: seg.from, period_end: shiftDate(seg.to, 1), department: s.department, mailboxes: s.mailboxes, ratio: s.ratio, cost: parts[j]! });
    });
  });
  return rows;
}

function csvField(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const chargebackColumns = [
  'BillingPeriodStart',
  'BillingPeriodEnd',
  'BillingCurrency',
  'BilledCost',
  'EffectiveCost',
  'ServiceName',
  'ChargeCategory',
  'ChargeDescription',
  'Department',
  'Mailboxes',
  'AllocatedRatio',
  'AllocationMethod',
] as const;

export function chargebackCsv(rows: ChargebackRow[], currency: string, method: string): string {
  const lines = [chargebackColumns.join(',')];
  for (const r of rows) {
    lines.push(
      [
        r.period_start,
        r.period_end,
        currency,
        r.cost.toFixed(2),
        r.cost.toFixed(2),
        'Mail',
        'Usage',
        `Mail service share of ${r.department}`,
        r.department,
        r.mailboxes,
        r.ratio.toFixed(6),
        method,
      ]
        .map(csvField)
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}
