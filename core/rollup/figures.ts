// The daily-summary figures of METRICS.md, computed from detail rows over a time range.
// Every consumer (API, CLI, /metrics, reports) reads these through the rollup tables.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open';

export const figureNames = [
  'connections',
  'connections_passed',
  'rejected',
  'greylisted',
  'received',
  'clean',
  'spam_tagged',
  'spam_blocked',
  'virus_blocked',
  'delivered',
  'delivered_recipients',
  'forwarded_recipients',
  'deferrals',
  'bounced',
  'outbound_submitted',
  'outbound_spam_blocked',
  'sasl_auth_failures',
  'imap_logins',
  'pop3_logins',
  'login_failures',
  'unique_users',
] as const;

export type FigureName = (typeof figureNames)[number];
export type Figures = Record<FigureName, number>;

export function emptyFigures(): Figures {
  return Object.fromEntries(figureNames.map((n) => [n, 0])) as Figures;
}

/** Additive figures can be summed over buckets; unique_users cannot. */
export function addFigures(a: Figures, b: Figures): Figures {
  const out = emptyFigures();
  for (const n of figureNames) out[n] = a[n] + b[n];
  return out;
}

type Row = Record<string, number | null>;

/** Users with a successful login, each counted once (login names compared case-blind). */
const UNIQUE_USERS = `count(DISTINCT CASE WHEN success = 1 THEN lower(username) END)`;

function prepareAll(db: Db) {
  return {
    // postscreen CONNECT and PASS lines are tallied per minute; smtpd sessions on hosts
    // without postscreen are rows.
    tally: db.prepare(
      `SELECT coalesce(sum(CASE WHEN metric = 'connect' THEN n END), 0) AS connections,
              coalesce(sum(CASE WHEN metric = 'pass' THEN n END), 0) AS connections_passed
         FROM connection_tally WHERE minute_at >= ? AND minute_at < ? AND metric IN ('connect', 'pass')`,
    ),
    sessions: db.prepare(`SELECT count(*) AS smtpd_connections FROM connections WHERE at >= ? AND at < ? AND counted = 1`),
    rejects: db.prepare(
      `SELECT count(*) AS rejected, coalesce(sum(greylist), 0) AS greylisted
         FROM rejects WHERE at >= ? AND at < ? AND action IN ('reject', 'milter-reject')`,
    ),
    received: db.prepare(`SELECT count(*) AS received FROM messages WHERE received_at >= ? AND received_at < ?`),
    submitted: db.prepare(
      `SELECT count(*) AS outbound_submitted FROM messages WHERE submitted_at >= ? AND submitted_at < ?`,
    ),
    delivered: db.prepare(`SELECT count(*) AS delivered FROM messages WHERE delivered_at >= ? AND delivered_at < ?`),
    verdicts: db.prepare(
      `SELECT coalesce(sum(category = 'clean'), 0) AS clean,
              coalesce(sum(category = 'spam_tagged'), 0) AS spam_tagged,
              coalesce(sum(category = 'spam_blocked'), 0) AS spam_blocked,
              coalesce(sum(category = 'virus_blocked'), 0) AS virus_blocked,
              coalesce(sum(category = 'outbound_spam_blocked'), 0) AS outbound_spam_blocked
         FROM verdicts WHERE at >= ? AND at < ?`,
    ),
    deliveries: db.prepare(
      `SELECT coalesce(sum(d.status = 'deferred'), 0) AS deferrals,
              coalesce(sum(d.status = 'bounced'), 0) AS bounced,
              coalesce(sum(d.status = 'sent' AND d.hop IN ('mailbox', 'remote') AND r.origin = 'inbound'), 0) AS delivered_recipients,
              coalesce(sum(d.status = 'sent' AND d.hop = 'remote' AND r.origin = 'inbound'), 0) AS forwarded_recipients
         FROM deliveries d
         LEFT JOIN messages m ON m.id = d.message_row
         LEFT JOIN messages r ON r.id = m.root_id
        WHERE d.at >= ? AND d.at < ?`,
    ),
    sasl: db.prepare(`SELECT count(*) AS sasl_auth_failures FROM auth_failures WHERE at >= ? AND at < ?`),
    logins: db.prepare(
      `SELECT coalesce(sum(success = 1 AND protocol = 'imap'), 0) AS imap_logins,
              coalesce(sum(success = 1 AND protocol = 'pop3'), 0) AS pop3_logins,
              coalesce(sum(success = 0), 0) AS login_failures,
              ${UNIQUE_USERS} AS unique_users
         FROM logins WHERE at >= ? AND at < ?`,
    ),
  };
}

const uniqueUsersStatements = new WeakMap<Db, Statement>();

/** `unique_users` for [start, end) in unix seconds, from the logins. */
export function uniqueUsers(db: Db, start: number, end: number): number {
  let st = uniqueUsersStatements.get(db);
  if (!st) {
    st = db.prepare(`SELECT ${UNIQUE_USERS} AS n FROM logins WHERE at >= ? AND at < ?`);
    uniqueUsersStatements.set(db, st);
  }
  return (st.get(start, end) as { n: number }).n;
}

const cache = new WeakMap<Db, ReturnType<typeof prepareAll>>();

/** Figures for [start, end) in unix seconds, straight from detail rows. */
export function computeFigures(db: Db, start: number, end: number): Figures {
  let stmts = cache.get(db);
  if (!stmts) {
    stmts = prepareAll(db);
    cache.set(db, stmts);
  }
  const out = emptyFigures();
  let smtpdConnections = 0;
  for (const stmt of Object.values(stmts)) {
    const row = stmt.get(start, end) as Row;
    for (const [k, v] of Object.entries(row)) {
      if (k === 'smtpd_connections') smtpdConnections = Number(v ?? 0);
      else if ((figureNames as readonly string[]).includes(k)) out[k as FigureName] = Number(v ?? 0);
    }
  }
  // connections = postscreen CONNECT lines + counted smtpd sessions on hosts without postscreen
  out.connections += smtpdConnections;
  return out;
}

/** Derived rates: never stored, always computed from the counts. */
export function spamRate(f: Figures): number | null {
  const total = f.clean + f.spam_tagged + f.spam_blocked + f.virus_blocked;
  return total === 0 ? null : (f.spam_tagged + f.spam_blocked) / total;
}

export function preQueueBlockRate(f: Figures): number | null {
  return f.connections === 0 ? null : (f.connections - f.connections_passed) / f.connections;
}
