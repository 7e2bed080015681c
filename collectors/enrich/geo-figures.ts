// Reading the country figures (geo_day): per country over a range of local days, countries
// only (never an address), for the API, the overview, the wall and reports.
import type { Db } from '../../core/db/open';

/** One country's figures over a range. */
export interface CountryFigures {
  country: string;
  connections: number;
  /** connections handed to smtpd (pass-old, pass-new, whitelisted/allowlisted) */
  passed: number;
  /** postscreen outcomes: dnsbl, pregreet, hangup, pass-old, ... */
  outcomes: Record<string, number>;
  logins: { imap: number; pop3: number };
  login_failures: { imap: number; pop3: number };
  smtp_auth_failures: number;
  submissions: number;
}

const PASS_OUTCOMES = new Set(['pass-old', 'pass-new', 'whitelisted', 'allowlisted']);

function empty(country: string): CountryFigures {
  return { country, connections: 0, passed: 0, outcomes: {}, logins: { imap: 0, pop3: 0 }, login_failures: { imap: 0, pop3: 0 }, smtp_auth_failures: 0, submissions: 0 };
}

/** Country figures over [from, to] (local dates), biggest by connections first. */
export function geoFigures(db: Db, tz: string, from: string, to: string): CountryFigures[] {
  const rows = db.prepare(`SELECT country, metric, sum(n) AS n FROM geo_day WHERE tz = ? AND date BETWEEN ? AND ? GROUP BY country, metric`).all(tz, from, to) as Array<{ country: string; metric: string; n: number }>;
  const by = new Map<string, CountryFigures>();
  for (const r of rows) {
    let f = by.get(r.country);
    if (f === undefined) by.set(r.country, (f = empty(r.country)));
    const [kind, rest] = [r.metric.slice(0, r.metric.indexOf(':') + 1 || r.metric.length), r.metric.slice(r.metric.indexOf(':') + 1)];
    if (r.metric === 'smtp:connect') f.connections += r.n;
    else if (kind === 'smtp:' && rest.startsWith('outcome:')) {
      const o = rest.slice('outcome:'.length);
      f.outcomes[o] = (f.outcomes[o] ?? 0) + r.n;
      if (PASS_OUTCOMES.has(o)) f.passed += r.n;
    } else if (kind === 'login:' && (rest === 'imap' || rest === 'pop3')) f.logins[rest] += r.n;
    else if (kind === 'login_failed:' && (rest === 'imap' || rest === 'pop3')) f.login_failures[rest] += r.n;
    else if (r.metric === 'smtp_auth_failed') f.smtp_auth_failures += r.n;
    else if (r.metric === 'submission') f.submissions += r.n;
  }
  return [...by.values()].sort((a, b) => b.connections - a.connections || b.logins.imap + b.logins.pop3 - (a.logins.imap + a.logins.pop3) || a.country.localeCompare(b.country));
}
