// The probes' gauges on /metrics: postino_probe_up{probe,service} (1 when the last run
// succeeded), postino_probe_last_run_timestamp_seconds{probe} (so that a stalled runner shows)
// and postino_tls_cert_remaining_seconds{probe} (in seconds, the base unit promtool asks for). Kept apart from the route so that the
// route only calls update() at each scrape.
import { Gauge, type Registry } from 'prom-client';
import type { Db } from '../../core/db/open';
import type { Config } from '../../core/config/schema';
import { probeStatuses } from '../queries/probes';

export function probeGauges(registry: Registry, db: Db, config: Config): { update: (nowAt: number) => void } {
  const up = new Gauge({ name: 'postino_probe_up', help: 'whether the last run of an active probe succeeded (1) or failed (0)', labelNames: ['probe', 'service'] as const, registers: [registry] });
  const certLeft = new Gauge({ name: 'postino_tls_cert_remaining_seconds', help: 'seconds until the TLS certificate seen by an active probe expires', labelNames: ['probe'] as const, registers: [registry] });
  const lastRun = new Gauge({ name: 'postino_probe_last_run_timestamp_seconds', help: 'when the last run of an active probe started', labelNames: ['probe'] as const, registers: [registry] });
  return {
    update(nowAt: number): void {
      if (config.probes.length === 0) return;
      for (const s of probeStatuses(db, config.probes, nowAt - 3600, nowAt)) {
        if (s.last) {
          up.set({ probe: s.name, service: s.service }, s.last.ok ? 1 : 0);
          lastRun.set({ probe: s.name }, s.last.at);
        }
        if (s.cert_days_left !== null) certLeft.set({ probe: s.name }, Math.round(s.cert_days_left * 86400));
      }
    },
  };
}
