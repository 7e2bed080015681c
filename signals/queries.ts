// Signals from the database: read the rows detection needs, resolve addresses to countries and
// places, detect, and keep the episodes in `signals` with their operator state.
import type { Db } from '../core/db/open';
import type { Config } from '../core/config/schema';
import type { GeoIp } from '../collectors/enrich/geoip';
import { countryCentroid } from './centroids';
import { detectSignals, type DetectInput, type Failure, type Located, type Submission, type TimedUser, type UserHistory } from './detect';
import type { Signal, SignalState, StoredSignal } from './types';

/** Reads what detection needs for [from, to) (and the learning period before it). */
export function detectionInput(db: Db, config: Config, geo: GeoIp | null, from: number, to: number): DetectInput {
  const c = config.signals;
  const learnFrom = from - c.learning_days * 86400;
  const country = (ip: string | null): string => (ip && geo ? geo.country(ip) : 'unknown');
  const locate = (at: number, user: string, ip: string | null): Located => {
    const cc = country(ip);
    const skip = ip === null || geo === null || geo.skipsTravel(ip);
    return { at, user, ip: ip ?? '', country: cc, place: skip ? null : (geo.location(ip) ?? countryCentroid(cc)) };
  };
  const submissions = (
    db
      .prepare(`SELECT submitted_at AS at, lower(sasl_username) AS user, coalesce(nrcpt, 1) AS rcpts, client_ip AS ip FROM messages WHERE submitted_at >= ? AND submitted_at < ? AND sasl_username IS NOT NULL`)
      .all(learnFrom, to) as Array<Omit<Submission, 'country'>>
  ).map((s) => ({ ...s, country: country(s.ip) }));
  // An outbound block names the sender; the SASL user of the message when it is known.
  const spamBlocks = db
    .prepare(
      `SELECT v.at AS at, lower(coalesce(m.sasl_username, v.sender)) AS user FROM verdicts v LEFT JOIN messages m ON m.id = v.message_row
       WHERE v.at >= ? AND v.at < ? AND v.category = 'outbound_spam_blocked' AND (v.hits IS NULL OR v.hits >= ?)`,
    )
    .all(from, to, config.spam.outbound_block) as TimedUser[];
  // Bounces of a user's mail: the delivery's message, or the message it was re-injected from, was submitted by the user.
  const bounces = db
    .prepare(
      `SELECT d.at AS at, lower(coalesce(m.sasl_username, r.sasl_username)) AS user FROM deliveries d JOIN messages m ON m.id = d.message_row LEFT JOIN messages r ON r.id = m.root_id
       WHERE d.at >= ? AND d.at < ? AND d.status = 'bounced' AND coalesce(m.sasl_username, r.sasl_username) IS NOT NULL`,
    )
    .all(from, to) as TimedUser[];
  const authFailures = db.prepare(`SELECT at, client_ip AS ip, lower(username) AS user FROM auth_failures WHERE at >= ? AND at < ?`).all(from, to) as Failure[];
  const loginFailures = db.prepare(`SELECT at, rip AS ip, lower(username) AS user FROM logins WHERE at >= ? AND at < ? AND success = 0`).all(learnFrom, to) as Failure[];
  const logins = (db.prepare(`SELECT at, lower(username) AS user, rip FROM logins WHERE at >= ? AND at < ? AND success = 1 AND username IS NOT NULL ORDER BY at`).all(from, to) as Array<{ at: number; user: string; rip: string | null }>).map((l) =>
    locate(l.at, l.user, l.rip),
  );
  // Each user's history before the range: first login, countries, and the last located login.
  const history = new Map<string, UserHistory>();
  const past = db
    .prepare(`SELECT lower(username) AS user, rip, min(at) AS first, max(at) AS last FROM logins WHERE at < ? AND success = 1 AND username IS NOT NULL GROUP BY lower(username), rip`)
    .all(from) as Array<{ user: string; rip: string | null; first: number; last: number }>;
  for (const p of past) {
    let h = history.get(p.user);
    if (h === undefined) history.set(p.user, (h = { firstAt: p.first, countries: new Set(), last: null }));
    h.firstAt = Math.min(h.firstAt, p.first);
    const cc = country(p.rip);
    if (/^[A-Z]{2}$/.test(cc)) h.countries.add(cc);
    const loc = locate(p.last, p.user, p.rip);
    if (loc.place !== null && (h.last === null || loc.at > h.last.at)) h.last = loc;
  }
  return { from, to, submissions, spamBlocks, bounces, authFailures, loginFailures: loginFailures.filter((f) => f.at >= learnFrom), logins, history };
}

/** Detects the signals of [from, to) and stores them (the operator's state of a known episode is kept). */
export function runDetection(db: Db, config: Config, geo: GeoIp | null, from: number, to: number, nowSec: number): Signal[] {
  const found = detectSignals(detectionInput(db, config, geo, from, to), config.signals);
  const up = db.prepare(
    `INSERT INTO signals (kind, subject, severity, first_at, last_at, count, countries, detail, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (kind, subject, first_at) DO UPDATE SET severity = excluded.severity, last_at = excluded.last_at, count = excluded.count,
       countries = excluded.countries, detail = excluded.detail, detected_at = excluded.detected_at`,
  );
  db.transaction(() => {
    for (const s of found) up.run(s.kind, s.subject, s.severity, s.first_at, s.last_at, s.count, s.countries ? JSON.stringify(s.countries) : null, s.detail, nowSec);
  })();
  return found;
}

interface SignalRow extends Omit<StoredSignal, 'countries'> {
  countries: string | null;
}

function fromRow(r: SignalRow): StoredSignal {
  const { countries, ...rest } = r;
  return countries ? { ...rest, countries: JSON.parse(countries) as string[] } : rest;
}

/** Stored signals overlapping [from, to), optionally in one state, newest first. */
export function listSignals(db: Db, from: number, to: number, state: SignalState | null): StoredSignal[] {
  const rows = db
    .prepare(
      `SELECT id, kind, subject, severity, first_at, last_at, count, countries, detail, state, note, state_by, state_at FROM signals
       WHERE last_at >= ? AND first_at < ? AND (? IS NULL OR state = ?) ORDER BY last_at DESC, id DESC LIMIT 1000`,
    )
    .all(from, to, state, state) as SignalRow[];
  return rows.map(fromRow);
}

export function getSignal(db: Db, id: number): StoredSignal | null {
  const r = db.prepare(`SELECT id, kind, subject, severity, first_at, last_at, count, countries, detail, state, note, state_by, state_at FROM signals WHERE id = ?`).get(id) as SignalRow | undefined;
  return r ? fromRow(r) : null;
}

/** Acknowledges (with a note) or closes a signal; reopening is allowed too. */
export function setSignalState(db: Db, id: number, state: SignalState, note: string | null, by: string, nowSec: number): boolean {
  return db.prepare(`UPDATE signals SET state = ?, note = coalesce(?, note), state_by = ?, state_at = ? WHERE id = ?`).run(state, note, by, nowSec, id).changes > 0;
}

/** Open signals by kind and severity: counts only (the wall, /metrics). */
export function openSignalCounts(db: Db): Array<{ kind: string; severity: string; n: number }> {
  return db.prepare(`SELECT kind, severity, count(*) AS n FROM signals WHERE state = 'open' GROUP BY kind, severity ORDER BY kind, severity`).all() as Array<{ kind: string; severity: string; n: number }>;
}
