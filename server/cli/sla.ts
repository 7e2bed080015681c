// `postino sla --from D --to D [--json] [--evidence]`: availability per service and host,
// incidents, maintenance, error budget and burn rates (docs/sla.md).
import type { Command } from 'commander';
import { computeSlaWith, type SlaReport } from '../../sla/index';
import { resolveConfig, openConfiguredDb, type CommonOptions, parseDayRange, dayRangeCommand } from './context';

interface SlaOptions extends CommonOptions {
  from: string;
  to: string;
  json?: boolean;
  evidence?: boolean;
}

export function registerSla(program: Command): void {
  dayRangeCommand(program, 'sla', 'availability per service and host, incidents, maintenance, error budget')
    .option('--json', 'print the report as JSON')
    .option('--evidence', 'with the log lines behind each outage (they can name users)')
    .action((opts: SlaOptions) => {
      const { from, to } = parseDayRange(opts);
      const config = resolveConfig(opts);
      const db = openConfiguredDb(config);
      try {
        const report = computeSlaWith(db, config, { from, to }, Date.now(), { evidence: !!opts.evidence });
        process.stdout.write(opts.json ? JSON.stringify(report) + '\n' : formatReport(report, !!opts.evidence));
      } finally {
        db.close();
      }
    });
}

function formatReport(r: SlaReport, evidence: boolean): string {
  const out: string[] = [];
  out.push(`SLA ${r.from} .. ${r.to} (${r.timezone}), up to ${r.as_of}; target ${r.target_pct}%; coverage ${(r.coverage * 100).toFixed(3)}% (${r.unknown_s} s unknown)`);
  out.push('');
  out.push(`${'service'.padEnd(10)} ${'hosts'.padStart(5)} ${'availability %'.padStart(15)} ${'raw %'.padStart(12)} ${'down s'.padStart(10)} ${'maint. s'.padStart(9)}`);
  for (const s of r.services) {
    out.push(`${s.service.padEnd(10)} ${String(s.hosts).padStart(5)} ${s.availability_pct.padStart(15)} ${s.raw_availability_pct.padStart(12)} ${String(s.downtime_s).padStart(10)} ${String(s.maintenance_s).padStart(9)}`);
  }
  out.push('');
  out.push(`${'host'.padEnd(24)} ${'service'.padEnd(10)} ${'availability %'.padStart(15)} ${'down s'.padStart(8)}`);
  for (const h of r.hosts) out.push(`${h.host.padEnd(24)} ${h.service.padEnd(10)} ${h.availability_pct.padStart(15)} ${String(h.downtime_s).padStart(8)}`);
  out.push('');
  out.push(`incidents: ${r.incidents.length}`);
  for (const i of r.incidents) {
    out.push(`  ${i.start} .. ${i.end ?? 'open'}  ${i.service}  ${i.hosts.join(', ')}  ${i.cause}  service down ${i.service_downtime_s} s`);
    for (const t of i.timeline) {
      out.push(`      ${t.at} ${t.host} ${t.what} (${t.cause})`);
      if (evidence) for (const l of t.evidence ?? []) out.push(`          ${l}`);
    }
  }
  if (r.maintenance.length > 0) {
    out.push('');
    out.push('maintenance:');
    for (const m of r.maintenance) out.push(`  ${m.from} .. ${m.to}  ${m.services.length ? m.services.join(', ') : 'all services'}  ${m.reason} (${m.source})`);
  }
  out.push('');
  out.push('error budget (seconds):');
  for (const b of r.budget) {
    for (const p of b.periods) out.push(`  ${b.service.padEnd(10)} ${p.kind.padEnd(15)} budget ${p.budget_s}  used ${p.used_s}  left ${p.left_s}`);
  }
  const alerts = r.burn_rates.filter((b) => b.page || b.ticket);
  out.push(alerts.length ? `burn-rate alerts: ${alerts.map((b) => `${b.service} ${b.page ? 'page' : 'ticket'}`).join(', ')}` : 'burn-rate alerts: none');
  return out.join('\n') + '\n';
}
