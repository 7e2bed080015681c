// Adapter from the SLA module (issue 14: sla/index.ts, computeSla) to the report's availability
// section. The SLA module is not on main yet: until it is, this returns null and the PDF says
// the section's data is not available yet (no invented figures).
import type { Db } from '../../core/db/open';
import type { Config } from '../../core/config/schema';
import type { AvailabilitySection } from '../model/types';

/** The shape of `postino sla --json` the report reads, typed loosely enough to map from it. */
export interface SlaReportLike {
  services: Array<{ service: string; availability?: number | null; downtime_s?: number | null }>;
  incidents?: Array<{ service: string; start: string; end?: string | null; cause?: string | null }>;
  maintenance?: Array<{ from?: string; to?: string; start?: string; end?: string; services?: string[]; service?: string; note?: string | null }>;
}

export function availabilitySource(_db: Db, _config: Config, _window: { from: string; to: string }): SlaReportLike | null {
  return null;
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
    incidents: (sla.incidents ?? []).map((i) => ({ service: i.service, start: i.start, end: i.end ?? null, duration_s: seconds(i.start, i.end), cause: i.cause ?? '' })),
    maintenance: (sla.maintenance ?? []).map((m) => ({
      from: m.from ?? m.start ?? '',
      to: m.to ?? m.end ?? '',
      services: m.services ?? (m.service ? [m.service] : []),
      note: m.note ?? '',
    })),
  };
}
