// Mailboxes in use (METRICS.md, Cost): distinct local mailboxes with a final LMTP delivery to a
// mailbox server (deliveries.hop = 'mailbox', status sent) or a successful IMAP/POP login in
// the window. A forward-only address has remote hops only, so it is never counted.
import type { Db } from '../core/db/open';
import { computeFigures as dayFigures } from '../core/rollup/figures';
import { dayBounds, datesBetween } from '../core/time/local-time';

// One row per use (delivery or login), lower-cased: Dovecot and Postfix may differ in case.
const USES = `
  SELECT lower(recipient) AS mailbox, 1 AS message FROM deliveries
   WHERE at >= @start AND at < @end AND hop = 'mailbox' AND status = 'sent'
  UNION ALL
  SELECT lower(username) AS mailbox, 0 AS message FROM logins
   WHERE at >= @start AND at < @end AND success = 1 AND username IS NOT NULL AND username <> ''`;

/** Each mailbox in use in [start, end) with the messages delivered to it. Personal data: callers aggregate. */
export function mailboxUse(db: Db, start: number, end: number): Map<string, number> {
  const rows = db.prepare(`SELECT mailbox, sum(message) AS messages FROM (${USES}) GROUP BY mailbox`).all({ start, end }) as Array<{ mailbox: string; messages: number }>;
  return new Map(rows.map((r) => [r.mailbox, r.messages]));
}

/** Distinct mailboxes in use in [start, end). */
export function countMailboxes(db: Db, start: number, end: number): number {
  const r = db.prepare(`SELECT count(DISTINCT mailbox) AS n FROM (${USES})`).get({ start, end }) as { n: number };
  return r.n;
}

/** Active mailboxes per local day of [from, to]. */
export function dailyActiveMailboxes(db: Db, tz: string, from: string, to: string): Array<{ date: string; mailboxes: number }> {
  return datesBetween(from, to).map((date) => {
    const [start, end] = dayBounds(tz, date);
    return { date, mailboxes: countMailboxes(db, start, end) };
  });
}

/**
 * Inbound messages delivered per local day (METRICS.md `delivered`), read from the stored
 * daily rollups; a day not rolled up yet is computed from detail rows but not stored (a GET
 * never writes rollup rows).
 */
export function deliveredPerDay(db: Db, tz: string, from: string, to: string): Array<{ date: string; delivered: number }> {
  const rows = db.prepare(`SELECT date, figures FROM rollup_day WHERE tz = ? AND date BETWEEN ? AND ?`).all(tz, from, to) as Array<{ date: string; figures: string }>;
  const have = new Map(rows.map((r) => [r.date, (JSON.parse(r.figures) as { delivered?: number }).delivered ?? 0]));
  return datesBetween(from, to).map((date) => {
    let delivered = have.get(date);
    if (delivered === undefined) {
      const [start, end] = dayBounds(tz, date);
      delivered = dayFigures(db, start, end).delivered;
    }
    return { date, delivered };
  });
}
