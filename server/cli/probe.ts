// `postino probe [--once] [--json] [--no-store]`: runs the configured probes and prints each
// result; stores them in probe_results like `postino serve` does (unless --no-store). --once
// runs every probe once and exits; without it, the probes run at their intervals until Ctrl-C.
import type { Command } from 'commander';
import { resolveConfig, openConfiguredDb, UsageError, type CommonOptions } from './context';
import { runProbe, type ProbeResult } from '../probes/run-probe';
import { insertProbeResult } from '../probes/store';
import { ProbeRunner } from '../probes/runner';
import { formatLocal } from '../../core/time/local-time';

interface ProbeOptions extends CommonOptions {
  once?: boolean;
  json?: boolean;
  store?: boolean;
}

function line(r: ProbeResult, tz: string, json: boolean): string {
  if (json) return JSON.stringify(r);
  const parts = [formatLocal(tz, r.at), r.probe.padEnd(16), r.service.padEnd(8), r.host.padEnd(20), r.ok ? 'ok  ' : 'FAIL'];
  if (r.latency_ms !== null) parts.push(`${r.latency_ms} ms`);
  if (r.tls) parts.push(r.tls);
  if (r.cert_days_left !== null) parts.push(`cert ${Math.floor(r.cert_days_left)} days left`);
  if (r.detail) parts.push(r.detail);
  return parts.join('  ');
}

export async function probeCommand(opts: ProbeOptions, signal?: AbortSignal): Promise<void> {
  const config = resolveConfig(opts);
  if (config.probes.length === 0) throw new UsageError('no probes configured (add a probes: list to postino.yml, see docs/probes.md)');
  const db = opts.store === false ? null : openConfiguredDb(config);
  const json = opts.json === true;
  try {
    if (opts.once) {
      const results = await Promise.all(config.probes.map((p) => runProbe(p)));
      if (db) for (const r of results) insertProbeResult(db, r);
      if (json) process.stdout.write(JSON.stringify({ results }, null, 2) + '\n');
      else for (const r of results) process.stdout.write(line(r, config.timezone, false) + '\n');
      return;
    }
    const runner = new ProbeRunner({ db, probes: config.probes, onResult: (r) => process.stdout.write(line(r, config.timezone, json) + '\n') });
    runner.start();
    await new Promise<void>((done) => {
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
      signal?.addEventListener('abort', () => done(), { once: true });
    });
    await runner.stop();
  } finally {
    db?.close();
  }
}

export function registerProbe(program: Command): void {
  program
    .command('probe')
    .description('run the configured active probes (SMTP, IMAP, POP3, HTTP) and print their results')
    .option('--once', 'run each probe once and exit')
    .option('--json', 'print JSON (--once: one document; else one object per line)')
    .option('--no-store', 'do not write the results to the database')
    .option('--config <file>', 'configuration file (postino.yml)')
    .option('--db <path>', 'SQLite database path')
    .option('--tz <zone>', 'time zone of the printed times')
    .action(async (opts: ProbeOptions) => probeCommand(opts));
}
