// Adapter from the SLA module (sla/index.ts, computeSla) to the report's availability section:
// the same figures as `postino sla` and `/api/sla` for the month. Only services, times and cause
// classes cross over: no host evidence (log lines) reaches the report.
import type { Db } from '../../core/db/open';
import type { Config } from '../../core/config/schema';
import type { AvailabilitySection } from '../model/types';
import { computeSla } from '../../sla/index';

/** The shape of `postino sla --json` the report reads, typed loosely enough to map from it. */
export interface SlaReportLike {
  services: Array<{ service: string; availability?: number | null; downtime_s?: number | null }>;
  incidents?: Array<{ service: string; start: string; end?: string | null; cause?: string | null }>;
  host_only_incidents?: number;
  maintenance?: Array<{ from?: string; to?: string; start?: string; end?: string; services?: string[]; service?: string; note?: string | null }>;
}

export function availabilitySource(db: Db, config: Config, window: { from: string; to: string }, now?: number): SlaReportLike | null {
  const sla = computeSla(db, config, window, now);
  return {
    services: sla.services.map((s) => ({ service: s.service, availability: s.availability, downtime_s: s.downtime_s })),
    incidents: sla.incidents.filter((i) => i.service_downtime_s > 0).map((i) => ({ service: i.service, start: i.start, end: i.end, cause: i.cause })),
    host_only_incidents: sla.incidents.filter((i) => i.service_downtime_s <= 0).length,
    maintenance: sla.maintenance.map((m) => ({ from: m.from, to: m.to, services: m.services, note: m.reason })),
  };
}

/** Maps the SLA answer to the section: error budget used = downtime / allowed downtime. */
export function toAvailabilitySection(sla: SlaReportLike, target: number, windowS: number): AvailabilitySection {
  const allowed = (1 - target) * windowS;
  const seconds = (a: string, b: string | null | undefined): number | null => (b ? Math.max(0, Math.round((Date.parse(b) - Date.parse(a)) / 1000)) : null);
  return {
    target,
    window_s: windowS,
    services: sla.services.map((s) => {
      const availability = typeof s.availability === 'number' ? s.availability : null;
      const downtime = s.downtime_s ?? 0;
      return { service: s.service, availability, downtime_s: downtime, budget_used: allowed > 0 ? downtime / allowed : null, met: availability === null ? null : availability >= target };
    }),
    host_only_incidents: sla.host_only_incidents ?? 0,
    incidents: (sla.incidents ?? []).map((i) => ({ service: i.service, start: i.start, end: i.end ?? null, duration_s: seconds(i.start, i.end), cause: i.cause ?? '' })),
    maintenance: (sla.maintenance ?? []).map((m) => ({
      from: m.from ?? m.start ?? '',
      to: m.to ?? m.end ?? '',
      services: m.services ?? (m.service ? [m.service] : []),
      note: m.note ?? '',
    })),
  };
}
