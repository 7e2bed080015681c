// What the wall shows: each service now (up, degraded when some of its hosts are down, down
// when none serves it), today's availability, the month's error budget left, and the open
// incidents. Host names are servers, not people: no personal data here.
import type { Db } from '../core/db/open';
import type { Config } from '../core/config/schema';
import type { ServiceName } from '../core/services';
import { localDate } from '../core/time/local-time';
import { computeSla } from './index';
import type { OutageCause, SlaReport } from './types';

export interface SlaNow {
  as_of: string;
  timezone: string;
  today: string;
  target_pct: string;
  services: Array<{
    service: ServiceName;
    state: 'up' | 'degraded' | 'down';
    availability_today: number | null;
    availability_today_pct: string;
    /** the calendar month's error budget (config.timezone) */
    budget_left_s: number | null;
    budget_s: number | null;
    page: boolean;
    ticket: boolean;
  }>;
  open_incidents: Array<{ service: ServiceName; start: string; hosts: string[]; cause: OutageCause }>;
}

export function slaNow(db: Db, config: Config, nowMs: number): SlaNow {
  const today = localDate(config.timezone, Math.floor(nowMs / 1000));
  return summarizeNow(computeSla(db, config, { from: today, to: today }, nowMs));
}

/** The wall's summary of today's report. */
export function summarizeNow(r: SlaReport): SlaNow {
  const today = r.from;
  const open = r.incidents.filter((i) => i.open);
  const hostsOf = new Map<string, number>(r.services.map((s) => [s.service, s.hosts]));
  return {
    as_of: r.as_of,
    timezone: r.timezone,
    today,
    target_pct: r.target_pct,
    services: r.services
      .filter((s) => s.hosts > 0)
      .map((s) => {
        const downHosts = new Set(open.filter((i) => i.service === s.service).flatMap((i) => i.hosts));
        const month = r.budget.find((b) => b.service === s.service)?.periods.find((p) => p.kind === 'calendar_month');
        const burn = r.burn_rates.find((b) => b.service === s.service);
        return {
          service: s.service,
          state: downHosts.size === 0 ? 'up' : downHosts.size >= (hostsOf.get(s.service) ?? 0) ? 'down' : 'degraded',
          availability_today: s.availability,
          availability_today_pct: s.availability_pct,
          budget_left_s: month?.left_s ?? null,
          budget_s: month?.budget_s ?? null,
          page: burn?.page ?? false,
          ticket: burn?.ticket ?? false,
        };
      }),
    open_incidents: open.map((i) => ({ service: i.service, start: i.start, hosts: i.hosts, cause: i.cause })),
  };
}
