// The monthly report model: plain data, every figure and series the PDF shows, computed from
// the rollups. It is stored as JSON beside each PDF, so a past month renders again with the
// same figures even after its detail rows have expired. Language-neutral: the renderer
// translates labels. No personal data: no addresses, logins, IPs or user names anywhere.
import type { Figures } from '../../core/rollup/figures';

/** Bumped when a field changes meaning; a stored model of another version is rebuilt. */
export const REPORT_MODEL_VERSION = 2;

export interface PeriodFigures {
  /** YYYY-MM */
  month: string;
  from: string;
  to: string;
  days: number;
  /** days whose rollup has at least one non-zero figure */
  days_with_data: number;
  /** additive figures summed over the month; unique_users is the busiest day's */
  totals: Figures;
  spam_rate: number | null;
  pre_queue_block_rate: number | null;
}

export interface DailyPoint {
  date: string;
  delivered: number;
  spam_tagged: number;
  /** spam_blocked + virus_blocked */
  blocked: number;
  rejected: number;
  imap_logins: number;
  pop3_logins: number;
  spam_rate: number | null;
  has_data: boolean;
}

export interface FunnelStep {
  step: 'connections' | 'connections_passed' | 'received' | 'clean_or_tagged' | 'delivered';
  n: number;
  of_previous: number | null;
}

/** The key figures of the executive summary, compared as daily averages over days with data. */
export type KeyFigureName = 'delivered' | 'blocked' | 'spam_rate' | 'rejected' | 'connections' | 'logins' | 'unique_users';

export interface KeyFigure {
  name: KeyFigureName;
  /** 'count': month total, compared by daily average; 'rate': a fraction, compared in points */
  kind: 'count' | 'rate' | 'peak';
  value: number | null;
  previous: number | null;
  last_year: number | null;
  /** relative change of the daily average (counts) or difference in points (rates); null = no comparison */
  change_previous: number | null;
  change_last_year: number | null;
}

/** The subset of the SLA module's answer the report shows (see reports/sources/availability.ts). */
export interface AvailabilitySection {
  target: number;
  window_s: number;
  services: Array<{ service: string; availability: number | null; downtime_s: number; budget_used: number | null; met: boolean | null }>;
  /** incidents during which the service itself was down (one host of several down is not one) */
  incidents: Array<{ service: string; start: string; end: string | null; duration_s: number | null; cause: string }>;
  /** outages of single hosts while their peers kept the service up */
  host_only_incidents: number;
  maintenance: Array<{ from: string; to: string; services: string[]; note: string }>;
}

/** The subset of the cost module's answer the report shows (see reports/sources/cost.ts). */
export interface CostSection {
  currency: string;
  mailboxes: number | null;
  investment_per_mailbox: number | null;
  running_per_mailbox_year: number | null;
  full_per_mailbox_year: number | null;
  per_delivered_message: number | null;
  budget: { budgeted_yearly: number | null; actual: number | null; forecast_year: number | null } | null;
  departments: Array<{ name: string; share: number | null; cost: number | null }>;
  storage: Array<{ label: string; gb: number }>;
  scenarios: Array<{ name: string; mailboxes: number | null; investment_per_mailbox: number | null; running_per_mailbox_year: number | null; full_per_mailbox_year: number | null }>;
}

export interface Coverage {
  days: number;
  days_with_data: number;
  /** dates of the month with no figure at all (no logs, or the collector was down) */
  missing_dates: string[];
  /** unparsed lines per program, counted since the database was created (not kept per month) */
  unparsed_total: number;
  lines_total: number;
  unparsed_by_program: Array<{ program: string; n: number }>;
}

export interface ReportModel {
  version: typeof REPORT_MODEL_VERSION;
  month: string;
  tz: string;
  /** ISO 8601: when the model was computed (also the PDF's creation date) */
  generated_at: string;
  has_data: boolean;
  current: PeriodFigures;
  previous: PeriodFigures;
  last_year: PeriodFigures;
  key_figures: KeyFigure[];
  daily: DailyPoint[];
  funnel: FunnelStep[];
  /** top reject reasons by class (never addresses); `other_n` sums the classes left out */
  reject_classes: { top: Array<{ reason_class: string; n: number }>; other_n: number; total: number };
  logins: { imap: number; pop3: number; failures: number; sasl_auth_failures: number; unique_users_peak: number };
  sla_target: number;
  /** null: the availability module gave no data (not built yet, or no answer) */
  availability: AvailabilitySection | null;
  /** null: the cost module gave no data */
  cost: CostSection | null;
  coverage: Coverage;
}
