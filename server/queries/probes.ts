// The state of each configured probe for /api/probes and /metrics: the last result, the
// success ratio over a window, the days left on its certificate, the outage in progress.
// No password can be here: the config's login is reduced to whether there is one.
import type { Db } from '../../core/db/open';
import type { ProbeConfig } from '../../core/config/probes-schema';
import { probeOutages } from '../../sla/probe-outages';

export interface ProbeLast {
  at: number;
  ok: boolean;
  latency_ms: number | null;
  detail: string;
  cert_days_left: number | null;
}

export interface ProbeStatus {
  name: string;
  type: ProbeConfig['type'];
  host: string;
  service: string;
  target: string;
  tls: ProbeConfig['tls'];
  login: boolean;
  interval_s: number;
  timeout_s: number;
  last: ProbeLast | null;
  runs: number;
  successes: number;
  /** successes / runs over the window; null without runs */
  success_ratio: number | null;
  /** from the newest result that read a certificate (a failed run reads none) */
  cert_days_left: number | null;
  cert_checked_at: number | null;
  /** the outage in progress, when the probe is failing now */
  outage: { start_at: number; detail: string; failures: number } | null;
}

export function probeStatuses(db: Db, probes: readonly ProbeConfig[], fromAt: number, nowAt: number): ProbeStatus[] {
  const last = db.prepare(`SELECT at, ok, latency_ms, detail, cert_days_left FROM probe_results WHERE probe = ? ORDER BY at DESC, id DESC LIMIT 1`);
  const counts = db.prepare(`SELECT count(*) AS runs, coalesce(sum(ok), 0) AS successes FROM probe_results WHERE probe = ? AND at >= ? AND at < ?`);
  const cert = db.prepare(`SELECT at, cert_days_left FROM probe_results WHERE probe = ? AND cert_days_left IS NOT NULL ORDER BY at DESC, id DESC LIMIT 1`);
  const open = new Map(probeOutages(db, nowAt, nowAt + 1).filter((o) => o.end_at === null).map((o) => [o.probe, o]));
  return probes.map((p) => {
    const l = last.get(p.name) as { at: number; ok: number; latency_ms: number | null; detail: string; cert_days_left: number | null } | undefined;
    const c = counts.get(p.name, fromAt, nowAt + 1) as { runs: number; successes: number };
    const crt = cert.get(p.name) as { at: number; cert_days_left: number } | undefined;
    const o = open.get(p.name);
    return {
      name: p.name,
      type: p.type,
      host: p.host,
      service: p.service,
      target: p.target,
      tls: p.type === 'http' ? (p.target.startsWith('https:') ? 'implicit' : 'none') : p.tls,
      login: p.login !== undefined,
      interval_s: p.interval_s,
      timeout_s: p.timeout_s,
      last: l ? { at: l.at, ok: l.ok === 1, latency_ms: l.latency_ms, detail: l.detail, cert_days_left: l.cert_days_left } : null,
      runs: c.runs,
      successes: c.successes,
      success_ratio: c.runs ? c.successes / c.runs : null,
      cert_days_left: crt?.cert_days_left ?? null,
      cert_checked_at: crt?.at ?? null,
      outage: o ? { start_at: o.start_at, detail: o.detail, failures: o.failures } : null,
    };
  });
}
