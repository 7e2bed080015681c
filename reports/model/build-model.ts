// Builds the report model of one month from the rollups: the month, the previous month and the
// same month last year, daily series, the defense funnel, reject classes, logins, coverage, and
// the availability and cost sections through their adapters (null when their module gives none).
import type { Db } from '../../core/db/open';
import type { Config } from '../../core/config/schema';
import { dayBounds } from '../../core/time/local-time';
import { spamRate } from '../../core/rollup/figures';
import { monthDays, periodFigures, hasData } from './period';
import { keyFigures } from './key-figures';
import { monthRange, shiftMonth } from './month';
import { rejectClasses, parseCoverage } from './queries';
import { availabilitySource, toAvailabilitySection } from '../sources/availability';
import { costSource, toCostSection } from '../sources/cost';
import { REPORT_MODEL_VERSION, type FunnelStep, type ReportModel } from './types';

/** How many reject classes the report names; the rest are summed as "other". */
export const TOP_REJECT_CLASSES = 6;

export function buildReportModel(db: Db, config: Config, month: string, nowMs: number = Date.now()): ReportModel {
  const tz = config.timezone;
  const days = monthDays(db, tz, month);
  const current = periodFigures(month, days);
  const previous = periodFigures(shiftMonth(month, -1), monthDays(db, tz, shiftMonth(month, -1)));
  const lastYear = periodFigures(shiftMonth(month, -12), monthDays(db, tz, shiftMonth(month, -12)));
  const { from, to } = monthRange(month);
  const start = dayBounds(tz, from)[0];
  const end = dayBounds(tz, to)[1];
  const t = current.totals;

  const steps: Array<[FunnelStep['step'], number]> = [
    ['connections', t.connections],
    ['connections_passed', t.connections_passed],
    ['received', t.received],
    ['clean_or_tagged', t.clean + t.spam_tagged],
    ['delivered', t.delivered],
  ];
  const funnel = steps.map(([step, n], i): FunnelStep => {
    const prev = i > 0 ? steps[i - 1]![1] : 0;
    return { step, n, of_previous: i === 0 || prev === 0 ? null : n / prev };
  });

  const classes = rejectClasses(db, start, end);
  const top = classes.slice(0, TOP_REJECT_CLASSES);
  const total = classes.reduce((s, c) => s + c.n, 0);
  const parsed = parseCoverage(db);
  const window = { from, to };
  const sla = availabilitySource(db, config, window, nowMs);
  const cost = costSource(db, config, window);

  return {
    version: REPORT_MODEL_VERSION,
    month,
    tz,
    generated_at: new Date(nowMs).toISOString(),
    has_data: current.days_with_data > 0,
    current,
    previous,
    last_year: lastYear,
    key_figures: keyFigures(current, previous, lastYear),
    daily: days.map((d) => ({
      date: d.date,
      delivered: d.delivered,
      spam_tagged: d.spam_tagged,
      blocked: d.spam_blocked + d.virus_blocked,
      rejected: d.rejected,
      imap_logins: d.imap_logins,
      pop3_logins: d.pop3_logins,
      spam_rate: spamRate(d),
      has_data: hasData(d),
    })),
    funnel,
    reject_classes: { top, other_n: total - top.reduce((s, c) => s + c.n, 0), total },
    logins: { imap: t.imap_logins, pop3: t.pop3_logins, failures: t.login_failures, sasl_auth_failures: t.sasl_auth_failures, unique_users_peak: t.unique_users },
    sla_target: config.sla.target,
    availability: sla ? toAvailabilitySection(sla, config.sla.target, end - start) : null,
    cost: cost ? toCostSection(cost, config.budget.currency) : null,
    coverage: {
      days: current.days,
      days_with_data: current.days_with_data,
      missing_dates: days.filter((d) => !hasData(d)).map((d) => d.date),
      unparsed_total: parsed.unparsed,
      lines_total: parsed.lines,
      unparsed_by_program: parsed.byProgram.slice(0, 8),
    },
  };
}
