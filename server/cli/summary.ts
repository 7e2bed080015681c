// `postino summary --from D --to D [--json]`: the daily figures of METRICS.md.
import type { Command } from 'commander';
import { dailyFigures } from '../../core/rollup/rollup';
import { flushRollups } from '../../core/rollup/rollup';
import { figureNames } from '../../core/rollup/figures';
import { resolveConfig, openConfiguredDb, type CommonOptions, parseDayRange, dayRangeCommand } from './context';

interface SummaryOptions extends CommonOptions {
  from: string;
  to: string;
  json?: boolean;
}

export function registerSummary(program: Command): void {
  dayRangeCommand(program, 'summary', 'daily figures (connections, deliveries, spam, logins ...) for a date range')
    .option('--json', 'print {"days":[...]} as JSON')
    .action((opts: SummaryOptions) => {
      const { from, to } = parseDayRange(opts);
      const config = resolveConfig(opts);
      const db = openConfiguredDb(config);
      try {
        flushRollups(db, config.timezone);
        const days = dailyFigures(db, config.timezone, from, to);
        if (opts.json) {
          process.stdout.write(JSON.stringify({ days }) + '\n');
          return;
        }
        const cols = ['date', ...figureNames];
        const rows = days.map((d) => cols.map((c) => String((d as Record<string, unknown>)[c])));
        // Transposed: one row per figure, one column per day — fits a terminal for a week.
        const width = Math.max(...figureNames.map((n) => n.length));
        const out: string[] = [];
        out.push(['figure'.padEnd(width), ...rows.map((r) => (r[0] ?? '').padStart(11))].join(' '));
        figureNames.forEach((n, i) => {
          out.push([n.padEnd(width), ...rows.map((r) => Number(r[i + 1]).toLocaleString('en-US').padStart(11))].join(' '));
        });
        process.stdout.write(out.join('\n') + '\n');
      } finally {
        db.close();
      }
    });
}
