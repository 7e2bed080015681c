// One probe_results row per probe run.
import type { Db } from '../../core/db/open';
import type { ProbeResult } from './run-probe';

export function insertProbeResult(db: Db, r: ProbeResult): void {
  db.prepare(`INSERT INTO probe_results (at, probe, host, service, ok, latency_ms, detail, cert_days_left) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(
    r.at,
    r.probe,
    r.host,
    r.service,
    r.ok ? 1 : 0,
    r.latency_ms,
    r.detail,
    r.cert_days_left,
  );
}
