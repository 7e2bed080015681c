// `postino signals --from D --to D [--json]`: detects compromised-account and attack signals in
// the range (and stores them, keeping any operator state), then prints them.
import type { Command } from 'commander';
import { flushRollups } from '../../core/rollup/rollup';
import { dayBounds } from '../../core/time/local-time';
import { openGeoIp } from '../../collectors/enrich/geoip';
import { flushGeoDays } from '../../collectors/enrich/geo-rollup';
import { runDetection } from '../../signals/queries';
import { resolveConfig, openConfiguredDb, type CommonOptions, parseDayRange, dayRangeCommand } from './context';

interface SignalsOptions extends CommonOptions {
  from: string;
  to: string;
  json?: boolean;
}

export function registerSignals(program: Command): void {
  dayRangeCommand(program, 'signals', 'signals of compromised accounts and attacks (outbound bursts, brute force, new countries, impossible travel)')
    .option('--json', 'print {"signals":[...]} as JSON')
    .action((opts: SignalsOptions) => {
      const { from, to } = parseDayRange(opts, 400);
      const config = resolveConfig(opts);
      const db = openConfiguredDb(config);
      try {
        flushGeoDays(db, config);
        flushRollups(db, config.timezone);
        const found = runDetection(db, config, openGeoIp(config.geoip), dayBounds(config.timezone, from)[0], dayBounds(config.timezone, to)[1], Math.floor(Date.now() / 1000));
        const signals = found.map((s) => ({ kind: s.kind, subject: s.subject, severity: s.severity, first_at: s.first_at, last_at: s.last_at, count: s.count, ...(s.countries ? { countries: s.countries } : {}) }));
        if (opts.json) {
          process.stdout.write(JSON.stringify({ signals }) + '\n');
          return;
        }
        if (signals.length === 0) {
          process.stdout.write('no signals\n');
          return;
        }
        const iso = (t: number): string => new Date(t * 1000).toISOString().slice(0, 16).replace('T', ' ');
        for (const s of found) {
          process.stdout.write(`${iso(s.first_at)}  ${s.severity.padEnd(6)} ${s.kind.padEnd(21)} ${s.subject}  ×${s.count}${s.countries ? ' ' + s.countries.join(',') : ''}  ${s.detail}\n`);
        }
      } finally {
        db.close();
      }
    });
}
