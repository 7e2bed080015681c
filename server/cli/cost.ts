// `postino cost --from D --to D [--json] [--csv FILE]`: cost per mailbox against the budget,
// departments, storage and scenarios (cost/index.ts computes; this prints).
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { computeCost, chargebackCsv, type CostReport } from '../../cost/index';
import { resolveConfig, openConfiguredDb, type CommonOptions, parseDayRange, dayRangeCommand } from './context';

interface CostOptions extends CommonOptions {
  from: string;
  to: string;
  json?: boolean;
  csv?: string;
}

function money(x: number | null, currency: string, digits = 2): string {
  return x === null ? 'n/a' : `${x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${currency}`;
}

/** The human-readable report (the JSON is the contract; this is for a terminal). */
export function formatCost(r: CostReport): string {
  const c = r.currency;
  const out: string[] = [];
  out.push(`Cost ${r.from} .. ${r.to} (${r.tz})`);
  out.push(`mailboxes                    ${r.mailboxes.toLocaleString('en-US')} (${r.mailboxes_source === 'fixed' ? `fixed in the config; ${r.mailboxes_counted} seen in the logs` : 'seen in the logs'})`);
  out.push(`investment per mailbox       ${money(r.investment_per_mailbox, c)}`);
  out.push(`running per mailbox a year   ${money(r.running_per_mailbox_year, c)}`);
  out.push(`full per mailbox a year      ${money(r.full_per_mailbox_year, c)}`);
  out.push(`per delivered message        ${money(r.per_delivered_message, c, 4)} (${r.delivered.toLocaleString('en-US')} delivered)`);
  out.push(`per GB of quota a year       ${money(r.per_gb_quota_year, c)}`);
  out.push(`per GB used a year           ${r.storage.available ? money(r.per_gb_used_year, c) : 'needs quota snapshots'}`);
  out.push('');
  out.push(`budget ${r.budget.year}: ${money(r.budget.budgeted_yearly_cost, c)}; spent to ${r.budget.through} ${money(r.budget.spent_to_date, c)}; forecast ${money(r.budget.forecast_year, c)} (${r.budget.variance > 0 ? 'over' : 'within'} budget by ${money(Math.abs(r.budget.variance), c)})`);
  out.push('');
  if (r.storage.available) {
    const s = r.storage;
    out.push(`storage on ${s.date}: ${s.used_gb.toLocaleString('en-US')} GB used by ${s.mailboxes} mailboxes of ${s.capacity_gb.toLocaleString('en-US')} GB (${(s.used_fraction * 100).toFixed(1)}%)`);
    out.push(`  growth ${s.growth_gb_per_month === null ? 'unknown (one snapshot day)' : `${s.growth_gb_per_month} GB a month`}; capacity fills ${s.fills_on ?? 'never at this growth'}`);
  } else {
    out.push(`storage: ${r.storage.note}`);
  }
  out.push('');
  out.push(`departments (allocation: ${r.allocation.method}${r.allocation.note ? `; ${r.allocation.note}` : ''}), ${money(r.totals.window_budget, c)} for the window`);
  for (const d of r.departments) {
    out.push(`  ${d.department.padEnd(28)} ${String(d.mailboxes).padStart(7)} mailboxes ${String(d.messages).padStart(9)} messages ${(d.used_gb === null ? '-' : `${d.used_gb} GB`).padStart(12)} ${(d.ratio * 100).toFixed(2).padStart(7)}% ${money(d.cost, c).padStart(16)}`);
  }
  out.push('');
  out.push('scenarios');
  for (const s of r.scenarios) {
    out.push(`  ${s.name}: ${s.mailboxes} mailboxes, investment ${money(s.investment_per_mailbox, c)}, running ${money(s.running_per_mailbox_year, c)}/year, full ${money(s.full_per_mailbox_year, c)}/year`);
  }
  return out.join('\n') + '\n';
}

export function registerCost(program: Command): void {
  dayRangeCommand(program, 'cost', 'cost per mailbox against the budget, per department, storage and what-if scenarios')
    .option('--json', 'print the report as JSON')
    .option('--csv <file>', 'write the chargeback per department and month as FOCUS-style CSV (- for stdout)')
    .action((opts: CostOptions) => {
      const { from, to } = parseDayRange(opts);
      const config = resolveConfig(opts);
      const db = openConfiguredDb(config);
      try {
        const report = computeCost(db, config, { from, to });
        if (opts.csv !== undefined) {
          const csv = chargebackCsv(report.chargeback, report.currency, report.allocation.method);
          if (opts.csv === '-') {
            process.stdout.write(csv);
            return;
          }
          writeFileSync(opts.csv, csv);
        }
        process.stdout.write(opts.json ? JSON.stringify(report) + '\n' : formatCost(report));
      } finally {
        db.close();
      }
    });
}
