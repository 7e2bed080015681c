// Availability and SLA accounting (METRICS.md, Availability). computeSla's result IS the JSON
// of `postino sla --json` and of /api/sla, and what the monthly report prints: no personal
// data in it (evidence lines, which can name addresses, only with { evidence: true }).
import type { Db } from '../core/db/open';
import type { Config } from '../core/config/schema';
import { serviceNames } from '../core/services';
import { dayBounds } from '../core/time/local-time';
import { readActivity, quietOutages, unknownSpans } from './activity';
import { budgets, burnRate, monthBounds } from './budget';
import { buildIncidents } from './incidents';
import { clip, length, normalize, subtract } from './intervals';
import { Ledger } from './ledger';
import { daemonOutages, unreachableOutages } from './log-outages';
import { iso, readMaintenance } from './maintenance';
import { probeSpans } from './probe-spans';
import { hostMap } from './roles';
import { floorRatio, formatPercent } from './rounding';
import type { HostFigure, Outage, ServiceFigure, SlaReport } from './types';

export type * from './types';
export { formatPercent, floorRatio } from './rounding';
export { declareMaintenance } from './maintenance';

export interface SlaWindow {
  /** local dates YYYY-MM-DD in config.timezone, both included */
  from: string;
  to: string;
}

export function computeSla(db: Db, config: Config, window: SlaWindow, now?: number): SlaReport {
  return computeSlaWith(db, config, window, now, { evidence: false });
}

/** computeSla, optionally with the evidence lines of each outage (personal data: operators only). */
export function computeSlaWith(db: Db, config: Config, window: SlaWindow, now: number | undefined, opts: { evidence: boolean }): SlaReport {
  const tz = config.timezone;
  const target = config.sla.target;
  const ws = dayBounds(tz, window.from)[0];
  const we = dayBounds(tz, window.to)[1];
  const nowS = Math.floor((now ?? Date.now()) / 1000);
  // Accounting runs up to now: the rest of today has not happened yet.
  const asOf = Math.max(ws, Math.min(nowS, we));
  const [monthStart] = monthBounds(tz, Math.max(0, asOf - 1));
  const qFrom = Math.min(ws, monthStart, asOf - 30 * 86_400);

  const map = hostMap(db, config, asOf);
  const activity = readActivity(db, qFrom, asOf);
  const unknown = unknownSpans(activity);
  const daemon = daemonOutages(db, map, qFrom, asOf);
  const outages = [
    ...daemon,
    ...unreachableOutages(db, config, map, qFrom, asOf),
    ...explainedAway(quietOutages(config, map, activity), daemon, asOf),
    ...probeSpans(db, qFrom, asOf),
  ].filter((o) => (o.end ?? asOf) > qFrom);
  const [, monthEnd] = monthBounds(tz, Math.max(0, asOf - 1));
  const maintenance = readMaintenance(db, config, qFrom, Math.max(we, monthEnd));
  const ledger = new Ledger(outages, map, maintenance, unknown, asOf);

  const services: ServiceFigure[] = serviceNames.map((service) => {
    const sla = ledger.service(service, ws, asOf, true);
    const raw = ledger.service(service, ws, asOf, false);
    const availability = sla ? floorRatio(sla.known - sla.down, sla.known) : null;
    const rawAvailability = raw ? floorRatio(raw.known - raw.down, raw.known) : null;
    return {
      service,
      hosts: (map.hostsOf.get(service) ?? []).length,
      availability,
      raw_availability: rawAvailability,
      availability_pct: formatPercent(availability),
      raw_availability_pct: formatPercent(rawAvailability),
      downtime_s: sla ? round3(sla.down) : 0,
      raw_downtime_s: raw ? round3(raw.down) : 0,
      maintenance_s: sla?.maintenance ?? 0,
      meets_target: availability === null ? null : availability >= target,
    };
  });
  const hosts: HostFigure[] = [];
  for (const service of serviceNames) {
    for (const host of [...(map.hostsOf.get(service) ?? [])].sort()) {
      const f = ledger.host(host, service, ws, asOf, true);
      const availability = floorRatio(f.known - f.down, f.known);
      hosts.push({ host, service, downtime_s: f.down, availability, availability_pct: formatPercent(availability), weight: service === 'mailbox' ? (map.shareOf.get(host) ?? 0) : 1 });
    }
  }
  const incidents = buildIncidents(ledger, config.sla.merge_gap_s, opts.evidence).filter((i) => (i.end === null || Date.parse(i.end) / 1000 > ws) && Date.parse(i.start) / 1000 < we);
  const windowUnknown = length(clip(unknown, ws, asOf));
  // Coverage over the time every service is accountable for: maintenance of all services out.
  const allMaint = normalize(maintenance.filter((m) => m.services.length === 0).map((m) => [m.fromAt, m.toAt] as const));
  const accountable = asOf - ws - length(clip(allMaint, ws, asOf));
  const unknownAccountable = length(subtract(clip(unknown, ws, asOf), allMaint));
  return {
    from: window.from,
    to: window.to,
    timezone: tz,
    generated_at: iso(nowS),
    as_of: iso(asOf),
    target,
    target_pct: formatPercent(target),
    window_s: asOf - ws,
    unknown_s: windowUnknown,
    coverage: accountable > 0 ? floorRatio(accountable - unknownAccountable, accountable) : 1,
    services,
    hosts,
    incidents,
    maintenance: maintenance.filter((m) => m.toAt > ws && m.fromAt < we).map(({ fromAt: _f, toAt: _t, ...m }) => m),
    roles: map.roles,
    budget: serviceNames.filter((s) => (map.hostsOf.get(s) ?? []).length > 0).map((service) => ({ service, periods: budgets(ledger, tz, service, target) })),
    burn_rates: serviceNames.filter((s) => (map.hostsOf.get(s) ?? []).length > 0).map((service) => burnRate(ledger, service, target)),
  };
}

/**
 * A host silent while one of its daemons is known to be stopped is explained by that stop: the
 * silence does not take its other services down too (mx3's Amavis idles while its Postfix
 * restarts).
 */
function explainedAway(quiet: Outage[], daemon: Outage[], asOf: number): Outage[] {
  const out: Outage[] = [];
  for (const q of quiet) {
    const stops = normalize(daemon.filter((d) => d.host === q.host).map((d) => [d.start, d.end ?? asOf] as const));
    for (const [start, end] of subtract([[q.start, q.end ?? asOf]], stops)) {
      out.push({ ...q, start, end: q.end === null && end === asOf ? null : end });
    }
  }
  return out;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
