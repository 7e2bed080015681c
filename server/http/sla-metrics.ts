// The availability gauges of /metrics, so that Prometheus can page on the burn-rate alerts
// (docs/sla.md has the alerting rules). Kept apart from the rest of /metrics.
import { Gauge, type Registry } from 'prom-client';
import type { Db } from '../../core/db/open';
import type { Config } from '../../core/config/schema';
import { summarizeNow } from '../../sla/now';
import { computeSla } from '../../sla/index';
import { localDate } from '../../core/time/local-time';

/** Registers the SLA gauges on `registry`; call the returned function before each scrape. */
export function slaMetrics(registry: Registry, db: Db, config: Config): (nowMs: number) => void {
  const availability = new Gauge({ name: 'postino_sla_availability_ratio', help: 'availability today (local day), maintenance excluded, rounded down', labelNames: ['service'] as const, registers: [registry] });
  const up = new Gauge({ name: 'postino_sla_service_up', help: '1 up, 0.5 degraded (some hosts down), 0 down', labelNames: ['service'] as const, registers: [registry] });
  const budgetLeft = new Gauge({ name: 'postino_sla_error_budget_left_seconds', help: 'error budget left: period=calendar_month or rolling_30d', labelNames: ['service', 'period'] as const, registers: [registry] });
  const burn = new Gauge({ name: 'postino_sla_burn_rate', help: 'error-budget burn rate over a window (1 = exactly on budget)', labelNames: ['service', 'window'] as const, registers: [registry] });
  const alert = new Gauge({ name: 'postino_sla_burn_alert', help: 'multiwindow burn-rate alert firing: severity=page (1h and 5m over 14.4x) or ticket (6h and 30m over 6x)', labelNames: ['service', 'severity'] as const, registers: [registry] });
  const open = new Gauge({ name: 'postino_sla_open_incidents', help: 'open incidents', labelNames: ['service'] as const, registers: [registry] });
  return (nowMs) => {
    const today = localDate(config.timezone, Math.floor(nowMs / 1000));
    const r = computeSla(db, config, { from: today, to: today }, nowMs);
    const now = summarizeNow(r);
    for (const s of now.services) {
      if (s.availability_today !== null) availability.set({ service: s.service }, s.availability_today);
      up.set({ service: s.service }, s.state === 'up' ? 1 : s.state === 'degraded' ? 0.5 : 0);
      alert.set({ service: s.service, severity: 'page' }, s.page ? 1 : 0);
      alert.set({ service: s.service, severity: 'ticket' }, s.ticket ? 1 : 0);
      open.set({ service: s.service }, now.open_incidents.filter((i) => i.service === s.service).length);
    }
    for (const b of r.budget) for (const p of b.periods) budgetLeft.set({ service: b.service, period: p.kind }, p.left_s);
    for (const b of r.burn_rates) for (const [w, v] of Object.entries(b.burn)) burn.set({ service: b.service, window: w }, v);
  };
}
