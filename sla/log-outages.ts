// Outages the logs show: a daemon's stop (Postfix master `terminating`, Dovecot master
// `Killed`/`Fatal`, Amavis `Server closing`) up to its next start on that host, and the spans
// in which clients found a host unreachable (LMTP or filter-port deferrals, Dovecot proxy
// `connect(...) failed`).
import type { Db } from '../core/db/open';
import type { Config } from '../core/config/schema';
import type { ServiceName } from '../core/services';
import { servicesOfHost, type HostMap } from './roles';
import type { Outage } from './types';

interface EventRow {
  at: number;
  host: string;
  daemon: string;
  event: string;
  target: string | null;
  port: number | null;
  line: string | null;
}

const STOPS = new Set(['stop', 'fatal', 'killed']);
const MAX_EVIDENCE = 20;

/** The services a daemon provides on a host of these services. */
const servicesOfDaemon: Record<string, readonly ServiceName[]> = {
  postfix: ['smtp-in', 'smtp-out'],
  dovecot: ['mailbox', 'imap', 'pop3'],
  amavis: ['filter'],
};

function evidence(list: string[], line: string | null): void {
  if (line && list.length < MAX_EVIDENCE) list.push(line);
}

/** Stop/start pairs; a stop with no start yet is open (end null). */
export function daemonOutages(db: Db, map: HostMap, from: number, to: number): Outage[] {
  // The last stop or start of each daemon before the window: was it down when the window began?
  const before = db
    .prepare(
      `SELECT at, host, daemon, event, target, port, line FROM service_events s
        WHERE event IN ('start', 'stop', 'fatal', 'killed') AND at < ?
          AND at = (SELECT max(at) FROM service_events t WHERE t.host = s.host AND t.daemon = s.daemon AND t.event IN ('start', 'stop', 'fatal', 'killed') AND t.at < ?)`,
    )
    .all(from, from) as EventRow[];
  const rows = db
    .prepare(`SELECT at, host, daemon, event, target, port, line FROM service_events WHERE at >= ? AND at < ? AND event IN ('start', 'stop', 'fatal', 'killed') ORDER BY at, id`)
    .all(from, to) as EventRow[];
  const open = new Map<string, { start: number; evidence: string[]; host: string; daemon: string }>();
  const out: Outage[] = [];
  const close = (o: { start: number; evidence: string[]; host: string; daemon: string }, end: number | null): void => {
    const provided = servicesOfHost(map, o.host).filter((s) => (servicesOfDaemon[o.daemon] ?? []).includes(s));
    for (const service of provided) out.push({ host: o.host, service, start: o.start, end, cause: 'daemon-stop', evidence: o.evidence });
  };
  for (const r of [...before.filter((b) => STOPS.has(b.event)), ...rows]) {
    const key = `${r.host}|${r.daemon}`;
    const o = open.get(key);
    if (STOPS.has(r.event)) {
      if (o) evidence(o.evidence, r.line);
      else open.set(key, { start: r.at, evidence: r.line ? [r.line] : [], host: r.host, daemon: r.daemon });
    } else if (o) {
      evidence(o.evidence, r.line);
      open.delete(key);
      close(o, r.at);
    }
  }
  for (const o of open.values()) close(o, null);
  return out;
}

/** What a refused or failed connect takes down: which host's which service. */
function refusedService(config: Config, map: HostMap, r: EventRow): { host: string; service: ServiceName } | null {
  if (!r.target) return null;
  const loopback = /^(?:127\.|::1$|localhost$|\[::1\]$)/i.test(r.target);
  const host = loopback ? r.host : map.resolve(r.target);
  if (!host) return null; // a remote host on the Internet: not ours to account for
  const provided = servicesOfHost(map, host);
  const want = (s: ServiceName): { host: string; service: ServiceName } | null => (provided.includes(s) ? { host, service: s } : null);
  if (r.port !== null && config.content_filter.ports.includes(r.port)) return want('filter');
  if (r.daemon === 'dovecot' || r.port === 24) return want('mailbox');
  if (r.port === 25) return want('smtp-in');
  if (r.port === 587 || r.port === 465) return want('smtp-out');
  return null;
}

/**
 * Spans of refusals: consecutive refusals of one host's service less than unreachable_gap_s
 * apart form one span, which ends at the first success seen after the last refusal (within
 * that gap) or the target's daemon start if sooner, or, when neither was logged, at the last
 * refusal.
 */
export function unreachableOutages(db: Db, config: Config, map: HostMap, from: number, to: number): Outage[] {
  const gap = config.sla.unreachable_gap_s;
  const rows = db
    .prepare(`SELECT at, host, daemon, event, target, port, line FROM service_events WHERE at >= ? AND at < ? AND event IN ('refused', 'unreachable') ORDER BY at, id`)
    .all(from - gap, to) as EventRow[];
  const spans = new Map<string, Outage[]>();
  const reporters = new Map<Outage, Set<string>>();
  for (const r of rows) {
    const hit = refusedService(config, map, r);
    if (!hit) continue;
    const key = `${hit.host}|${hit.service}`;
    const list = spans.get(key) ?? [];
    spans.set(key, list);
    const last = list[list.length - 1];
    if (last && r.at - last.end! <= gap) {
      last.end = r.at;
      evidence(last.evidence, r.line);
      reporters.get(last)!.add(`${r.host}|${r.target}|${r.port}`);
    } else {
      const o: Outage = { host: hit.host, service: hit.service, start: r.at, end: r.at, cause: 'unreachable', evidence: r.line ? [r.line] : [] };
      list.push(o);
      reporters.set(o, new Set([`${r.host}|${r.target}|${r.port}`]));
    }
  }
  const sentVia = db.prepare(`SELECT min(at) AS at FROM deliveries WHERE at > ? AND at <= ? AND host = ? AND status = 'sent' AND relay LIKE ? ESCAPE '\\'`);
  const loginVia = db.prepare(`SELECT min(at) AS at FROM logins WHERE at > ? AND at <= ? AND host = ? AND success = 1 AND backend LIKE ? ESCAPE '\\'`);
  const startOf = db.prepare(`SELECT min(at) AS at FROM service_events WHERE host = ? AND event = 'start' AND at >= ? AND at <= ?`);
  const out: Outage[] = [];
  for (const list of spans.values()) {
    for (const o of list) {
      let end = Infinity;
      for (const rep of reporters.get(o)!) {
        const [host, target, port] = rep.split('|') as [string, string, string];
        const like = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);
        const d = sentVia.get(o.end, o.end! + gap, host, `${like(target)}[%]:${port}`) as { at: number | null };
        const l = loginVia.get(o.end, o.end! + gap, host, `${like(target)}%`) as { at: number | null };
        for (const x of [d.at, l.at]) if (x !== null && x < end) end = x;
      }
      // A start of the target's daemon before that success ends it sooner (the success may
      // be a retry that came minutes later).
      const started = startOf.get(o.host, o.end, end === Infinity ? o.end! + gap : end) as { at: number | null };
      if (started.at !== null && started.at < end) end = started.at;
      if (end !== Infinity) o.end = end;
      else o.endConfirmed = false;
      out.push(o);
    }
  }
  return out;
}
