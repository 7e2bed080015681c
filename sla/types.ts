// The shapes of the availability accounting. SlaReport IS the JSON of `postino sla --json`,
// of /api/sla and the input of the monthly report: times are ISO 8601, durations seconds.
import type { ServiceName } from '../core/services';
import type { HostRole } from '../core/config/schema';

export type OutageCause = 'daemon-stop' | 'unreachable' | 'quiet' | 'probe';

/** One host's service down from `start` to `end` (unix seconds; end null = still down). */
export interface Outage {
  host: string;
  service: ServiceName;
  start: number;
  end: number | null;
  cause: OutageCause;
  /** log lines (or probe results) that show it; personal data: operator only */
  evidence: string[];
  /** false when nothing showed it back up (refusals that simply stopped): `end` is the last one seen */
  endConfirmed?: boolean;
}

export interface HostRoleEntry {
  host: string;
  roles: HostRole[];
  /** share of the mailboxes this mailbox server holds (weights its downtime) */
  mailbox_share: number | null;
  /** config = postino.yml; learned = from the logs (what the SLA page shows) */
  source: 'config' | 'learned';
}

export interface MaintenanceEntry {
  from: string;
  to: string;
  services: ServiceName[];
  reason: string;
  source: 'config' | 'declared';
  declared_by: string | null;
  id: number | null;
}

export interface ServiceFigure {
  service: ServiceName;
  hosts: number;
  /** maintenance excluded (the SLA figure); null when no host provides the service */
  availability: number | null;
  /** maintenance counted like any other time */
  raw_availability: number | null;
  /** percentage string, 5 decimals, rounded down */
  availability_pct: string;
  raw_availability_pct: string;
  /** SLA downtime; for mailbox weighted by the share of mailboxes each server holds */
  downtime_s: number;
  raw_downtime_s: number;
  maintenance_s: number;
  meets_target: boolean | null;
}

export interface HostFigure {
  host: string;
  service: ServiceName;
  downtime_s: number;
  availability: number;
  availability_pct: string;
  weight: number;
}

export interface BudgetPeriod {
  /** calendar_month: the month (in config.timezone) holding `as_of`; rolling_30d: the 30 days up to it */
  kind: 'calendar_month' | 'rolling_30d';
  from: string;
  to: string;
  target: number;
  budget_s: number;
  used_s: number;
  left_s: number;
  used_share: number;
}

export interface BurnRate {
  service: ServiceName;
  /** burn rate per window: bad share of the window / (1 - target) */
  burn: { '5m': number; '30m': number; '1h': number; '6h': number };
  /** SRE Workbook multiwindow alerts: page = 1h and 5m over 14.4; ticket = 6h and 30m over 6 */
  page: boolean;
  ticket: boolean;
}

export interface TimelineEntry {
  at: string;
  host: string;
  /** last-refusal: the end of refusals with no success or daemon start seen after them */
  what: 'down' | 'up' | 'last-refusal';
  cause: OutageCause;
  evidence?: string[];
}

export interface Incident {
  id: string;
  service: ServiceName;
  start: string;
  /** null while open */
  end: string | null;
  open: boolean;
  hosts: string[];
  cause: OutageCause;
  causes: OutageCause[];
  /** time the service itself was down during the incident (weighted for mailbox) */
  service_downtime_s: number;
  timeline: TimelineEntry[];
}

export interface SlaReport {
  from: string;
  to: string;
  timezone: string;
  generated_at: string;
  /** the accounting runs up to here: min(now, end of `to`) */
  as_of: string;
  target: number;
  target_pct: string;
  window_s: number;
  /** seconds with no log line from any host and no probe result: never counted as up */
  unknown_s: number;
  /** share of the window (maintenance excluded) that is known */
  coverage: number;
  services: ServiceFigure[];
  hosts: HostFigure[];
  incidents: Incident[];
  maintenance: MaintenanceEntry[];
  roles: HostRoleEntry[];
  budget: Array<{ service: ServiceName; periods: BudgetPeriod[] }>;
  burn_rates: BurnRate[];
}
