// Pure detection: rows in, signals out. The queries (queries.ts) read the rows and resolve
// addresses to countries and places; nothing here touches the database or the clock.
import type { SignalsConfig } from '../core/config/signals-schema';
import { distanceKm } from './centroids';
import type { Severity, Signal } from './types';

export interface Submission { at: number; user: string; rcpts: number; ip: string | null; country: string }
export interface TimedUser { at: number; user: string }
export interface Failure { at: number; ip: string | null; user: string | null }
export interface Located {
  at: number;
  user: string;
  ip: string;
  country: string;
  /** coordinates (city file) or the country's centre; null: not a travel endpoint */
  place: { lat: number; lon: number } | null;
}
export interface UserHistory {
  /** first successful login known */
  firstAt: number;
  countries: Set<string>;
  /** the last located login before the range (travel from it) */
  last: Located | null;
}

export interface DetectInput {
  from: number;
  to: number;
  /** submissions in [from - learning days, to): the earlier ones give each user's usual rate */
  submissions: Submission[];
  spamBlocks: TimedUser[];
  bounces: TimedUser[];
  authFailures: Failure[];
  loginFailures: Failure[];
  /** successful logins in [from, to) */
  logins: Located[];
  history: Map<string, UserHistory>;
}

const HOUR = 3600;

function groupBy<T>(rows: T[], key: (r: T) => string | null): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    if (k === null || k === '') continue;
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

/** Outbound recipients per user and hour: over the threshold, or many times the user's usual rate. */
export function outboundBursts(input: DetectInput, c: SignalsConfig): Signal[] {
  const out: Signal[] = [];
  for (const [user, subs] of groupBy(input.submissions, (s) => s.user)) {
    const before = subs.filter((s) => s.at < input.from);
    const activeHours = new Set(before.map((s) => Math.floor(s.at / HOUR))).size;
    const usual = activeHours > 0 ? before.reduce((n, s) => n + s.rcpts, 0) / activeHours : 0;
    const hours = groupBy(subs.filter((s) => s.at >= input.from && s.at < input.to), (s) => String(Math.floor(s.at / HOUR)));
    const flagged: Array<{ hour: number; subs: Submission[]; rcpts: number; why: string; severity: Severity }> = [];
    for (const [h, list] of hours) {
      const rcpts = list.reduce((n, s) => n + s.rcpts, 0);
      if (rcpts >= c.outbound_recipients_per_hour) flagged.push({ hour: Number(h), subs: list, rcpts, why: `${rcpts} recipients in one hour (threshold ${c.outbound_recipients_per_hour})`, severity: 'high' });
      else if (usual > 0 && rcpts >= c.outbound_factor_min_recipients && rcpts >= c.outbound_factor * usual) {
        flagged.push({ hour: Number(h), subs: list, rcpts, why: `${rcpts} recipients in one hour, ${(rcpts / usual).toFixed(0)} times the usual ${usual.toFixed(1)}`, severity: 'medium' });
      }
    }
    flagged.sort((a, b) => a.hour - b.hour);
    // consecutive flagged hours are one episode
    for (let i = 0; i < flagged.length; ) {
      let j = i + 1;
      while (j < flagged.length && flagged[j]!.hour === flagged[j - 1]!.hour + 1) j++;
      const part = flagged.slice(i, j);
      const all = part.flatMap((p) => p.subs);
      out.push({
        kind: 'outbound_burst',
        subject: user,
        severity: part.some((p) => p.severity === 'high') ? 'high' : 'medium',
        first_at: Math.min(...all.map((s) => s.at)),
        last_at: Math.max(...all.map((s) => s.at)),
        count: part.reduce((n, p) => n + p.rcpts, 0),
        countries: [...new Set(all.map((s) => s.country))].sort(),
        detail: part.map((p) => p.why).join('; '),
      });
      i = j;
    }
  }
  return out;
}

/**
 * Events of one subject grouped into episodes (gaps of at most `gap` seconds); an episode fires
 * when some window of `window` seconds holds at least `threshold` events.
 */
function episodes(times: number[], gap: number, window: number, threshold: number): Array<{ first: number; last: number; n: number; peak: number }> {
  const t = [...times].sort((a, b) => a - b);
  const out: Array<{ first: number; last: number; n: number; peak: number }> = [];
  for (let i = 0; i < t.length; ) {
    let j = i + 1;
    while (j < t.length && t[j]! - t[j - 1]! <= gap) j++;
    let peak = 0;
    for (let a = i, b = i; b < j; b++) {
      while (t[b]! - t[a]! >= window) a++;
      peak = Math.max(peak, b - a + 1);
    }
    if (peak >= threshold) out.push({ first: t[i]!, last: t[j - 1]!, n: j - i, peak });
    i = j;
  }
  return out;
}

function bySubject(kind: Signal['kind'], rows: Array<{ at: number }>, key: (r: never) => string | null, gap: number, window: number, threshold: number, what: string): Signal[] {
  const out: Signal[] = [];
  for (const [subject, list] of groupBy(rows as never[], key)) {
    for (const e of episodes(list.map((r: { at: number }) => r.at), gap, window, threshold)) {
      out.push({ kind, subject, severity: e.peak >= threshold * 3 ? 'high' : 'medium', first_at: e.first, last_at: e.last, count: e.n, detail: `${e.peak} ${what} within ${Math.round(window / 60)} minutes (threshold ${threshold})` });
    }
  }
  return out;
}

export function detectSignals(input: DetectInput, c: SignalsConfig): Signal[] {
  const win = c.bruteforce_window_minutes * 60;
  const inRange = <T extends { at: number }>(rows: T[]): T[] => rows.filter((r) => r.at >= input.from && r.at < input.to);
  return [
    ...outboundBursts(input, c),
    ...bySubject('outbound_spam', inRange(input.spamBlocks), (r: TimedUser) => r.user, 86400, 86400, c.outbound_spam_per_day, 'outbound messages blocked as spam'),
    ...bySubject('bounce_burst', inRange(input.bounces), (r: TimedUser) => r.user, HOUR, HOUR, c.bounces_per_hour, 'bounces of mail from this user'),
    ...bySubject('smtp_auth_bruteforce', inRange(input.authFailures), (r: Failure) => r.ip, win, win, c.smtp_auth_failures, 'failed SMTP AUTH from this address'),
    ...bySubject('login_bruteforce', inRange(input.loginFailures), (r: Failure) => r.ip, win, win, c.login_failures, 'failed IMAP/POP logins from this address'),
    ...bySubject('login_bruteforce', inRange(input.loginFailures), (r: Failure) => r.user, win, win, c.login_failures, 'failed IMAP/POP logins for this user'),
    ...newCountries(input, c),
    ...impossibleTravel(input, c),
  ].sort((a, b) => a.first_at - b.first_at || a.kind.localeCompare(b.kind) || a.subject.localeCompare(b.subject));
}

/** A login from a country the user never logged in from, once the user has a learning period of history. */
export function newCountries(input: DetectInput, c: SignalsConfig): Signal[] {
  const out: Signal[] = [];
  const failures = groupBy(input.loginFailures, (f) => f.user);
  for (const [user, logins] of groupBy(input.logins, (l) => l.user)) {
    const h = input.history.get(user);
    const seen = new Set(h?.countries ?? []);
    const firstAt = h?.firstAt ?? Math.min(...logins.map((l) => l.at));
    for (const l of [...logins].sort((a, b) => a.at - b.at)) {
      if (!/^[A-Z]{2}$/.test(l.country) || seen.has(l.country)) continue;
      const learned = l.at - firstAt >= c.learning_days * 86400;
      seen.add(l.country);
      if (!learned) continue;
      const recentFails = (failures.get(user) ?? []).filter((f) => f.at <= l.at && l.at - f.at <= c.new_country_failures_minutes * 60).length;
      out.push({
        kind: 'new_country',
        subject: user,
        severity: recentFails > 0 ? 'high' : 'medium',
        first_at: l.at,
        last_at: l.at,
        count: 1,
        countries: [l.country],
        detail: `first login from ${l.country}` + (recentFails > 0 ? `, after ${recentFails} failed logins in the ${c.new_country_failures_minutes} minutes before` : ''),
      });
    }
  }
  return out;
}

/** Two logins of one user farther apart than the time between them allows. */
export function impossibleTravel(input: DetectInput, c: SignalsConfig): Signal[] {
  const out: Signal[] = [];
  for (const [user, logins] of groupBy(input.logins, (l) => l.user)) {
    let prev = input.history.get(user)?.last ?? null;
    let open: Signal | null = null;
    for (const l of [...logins].sort((a, b) => a.at - b.at)) {
      if (l.place === null) continue;
      if (prev !== null && prev.place !== null && l.at - prev.at <= c.travel_window_hours * HOUR) {
        const km = distanceKm(prev.place, l.place);
        const hours = Math.max(l.at - prev.at, 60) / HOUR;
        if (km >= c.travel_min_km && km / hours > c.travel_speed_kmh) {
          const why = `${prev.country} to ${l.country}: ${Math.round(km)} km in ${Math.round(hours * 60)} minutes (${Math.round(km / hours)} km/h)`;
          if (open !== null && prev.at - open.last_at <= c.travel_window_hours * HOUR) {
            open.last_at = l.at;
            open.count++;
            open.countries = [...new Set([...(open.countries ?? []), prev.country, l.country])].sort();
            open.detail += `; ${why}`;
          } else {
            open = { kind: 'impossible_travel', subject: user, severity: 'high', first_at: prev.at, last_at: l.at, count: 1, countries: [...new Set([prev.country, l.country])].sort(), detail: why };
            out.push(open);
          }
        }
      }
      prev = l;
    }
  }
  return out;
}
