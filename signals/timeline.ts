// One account's story in time order: failed logins, the first success from each new network or
// country, submissions (the outbound burst), bounces of its mail, outbound mail blocked as spam,
// and the signals about it. Message events carry the id a trace opens.
import type { Db } from '../core/db/open';
import type { GeoIp } from '../collectors/enrich/geoip';

export interface TimelineEvent {
  at: number;
  kind: 'login_failed' | 'login_new_network' | 'login_new_country' | 'submission' | 'bounce' | 'outbound_spam_blocked' | 'signal';
  detail: string;
  ip: string | null;
  country: string | null;
  /** message id for /trace?id= */
  message_id: number | null;
  /** signal id, for signal events */
  signal_id: number | null;
}

const MAX_EVENTS = 2000;

/** /24 (IPv4) or /48 (IPv6): a "network" for the first-success-from-here events. */
function networkOf(ip: string): string {
  if (ip.includes(':')) return ip.split(':').slice(0, 3).join(':');
  return ip.split('.').slice(0, 3).join('.');
}

export function accountTimeline(db: Db, geo: GeoIp | null, user: string, start: number, end: number): TimelineEvent[] {
  const u = user.trim().toLowerCase();
  const country = (ip: string | null): string | null => (ip && geo ? geo.country(ip) : null);
  const ev = (at: number, kind: TimelineEvent['kind'], detail: string, ip: string | null, messageId: number | null = null, signalId: number | null = null): TimelineEvent => ({
    at,
    kind,
    detail,
    ip,
    country: country(ip),
    message_id: messageId,
    signal_id: signalId,
  });
  const out: TimelineEvent[] = [];
  // networks and countries the user logged in from before the window
  const seenNets = new Set<string>();
  const seenCountries = new Set<string>();
  for (const r of db.prepare(`SELECT DISTINCT rip FROM logins WHERE lower(username) = ? AND success = 1 AND at < ? AND rip IS NOT NULL`).pluck().all(u, start) as string[]) {
    seenNets.add(networkOf(r));
    const c = country(r);
    if (c) seenCountries.add(c);
  }
  const logins = db.prepare(`SELECT at, protocol, success, rip FROM logins WHERE lower(username) = ? AND at >= ? AND at < ? ORDER BY at`).all(u, start, end) as Array<{ at: number; protocol: string; success: number; rip: string | null }>;
  for (const l of logins) {
    if (!l.success) {
      out.push(ev(l.at, 'login_failed', `${l.protocol} login failed`, l.rip));
      continue;
    }
    if (l.rip === null) continue;
    const c = country(l.rip);
    const net = networkOf(l.rip);
    if (c && !seenCountries.has(c)) out.push(ev(l.at, 'login_new_country', `first ${l.protocol} login from ${c}`, l.rip));
    else if (!seenNets.has(net)) out.push(ev(l.at, 'login_new_network', `first ${l.protocol} login from ${net}.*`, l.rip));
    seenNets.add(net);
    if (c) seenCountries.add(c);
  }
  const subs = db.prepare(`SELECT id, submitted_at AS at, nrcpt, client_ip FROM messages WHERE lower(sasl_username) = ? AND submitted_at >= ? AND submitted_at < ? ORDER BY submitted_at`).all(u, start, end) as Array<{ id: number; at: number; nrcpt: number | null; client_ip: string | null }>;
  for (const s of subs) out.push(ev(s.at, 'submission', `submitted to ${s.nrcpt ?? '?'} recipient(s)`, s.client_ip, s.id));
  const bounces = db
    .prepare(
      `SELECT d.at AS at, coalesce(m.root_id, m.id) AS mid, d.dsn AS dsn FROM deliveries d JOIN messages m ON m.id = d.message_row LEFT JOIN messages r ON r.id = m.root_id
       WHERE d.at >= ? AND d.at < ? AND d.status = 'bounced' AND lower(coalesce(m.sasl_username, r.sasl_username)) = ?`,
    )
    .all(start, end, u) as Array<{ at: number; mid: number; dsn: string | null }>;
  for (const b of bounces) out.push(ev(b.at, 'bounce', `bounced${b.dsn ? ` (${b.dsn})` : ''}`, null, b.mid));
  const blocked = db
    .prepare(
      `SELECT v.at AS at, v.message_row AS mid, v.hits AS hits, v.client_ip AS ip FROM verdicts v LEFT JOIN messages m ON m.id = v.message_row
       WHERE v.at >= ? AND v.at < ? AND v.category = 'outbound_spam_blocked' AND lower(coalesce(m.sasl_username, v.sender)) = ?`,
    )
    .all(start, end, u) as Array<{ at: number; mid: number | null; hits: number | null; ip: string | null }>;
  for (const b of blocked) out.push(ev(b.at, 'outbound_spam_blocked', `blocked as spam${b.hits !== null ? ` (score ${b.hits})` : ''}`, b.ip, b.mid));
  const signals = db.prepare(`SELECT id, kind, severity, first_at, detail FROM signals WHERE subject = ? AND last_at >= ? AND first_at < ?`).all(u, start, end) as Array<{ id: number; kind: string; severity: string; first_at: number; detail: string }>;
  for (const s of signals) out.push(ev(s.first_at, 'signal', `${s.kind} (${s.severity}): ${s.detail}`, null, null, s.id));
  return out.sort((a, b) => a.at - b.at).slice(0, MAX_EVENTS);
}
