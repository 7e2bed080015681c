// Which host provides which service. From the config's `hosts` when it names roles; learned
// from the logs otherwise: postscreen runs on the MX hosts, SASL submissions arrive at the
// relays, Amavis verdicts are logged by the filter hosts, the proxies log logins but receive no
// LMTP delivery, and the mailbox servers are where LMTP deliveries and proxied logins go (their
// share of the mailboxes is the share of distinct mailboxes delivered to or logged into).
import type { Db } from '../core/db/open';
import type { Config, HostRole } from '../core/config/schema';
import { servicesOfRole, type ServiceName } from '../core/services';
import type { HostRoleEntry } from './types';

const RE_RELAY = /^([^\s[\]]+)\[([^\]]*)\](?::(\d+))?$/;

export interface HostMap {
  roles: HostRoleEntry[];
  /** hosts of each service */
  hostsOf: Map<ServiceName, string[]>;
  /** normalized share (sums to 1 over the mailbox servers) */
  shareOf: Map<string, number>;
  /** a name or address as a client names it (`mbox1.unipi.it`, `10.1.0.11`, `mbox1`) → the log's host name */
  resolve(nameOrIp: string): string | null;
}

/** Every host that logged in [from, to). */
function loggedHosts(db: Db, from: number, to: number): string[] {
  const rows = db.prepare(`SELECT DISTINCT host FROM host_activity WHERE hour_at >= ? AND hour_at < ?`).all(from - 3600, to) as Array<{ host: string }>;
  return rows.map((r) => r.host);
}

function distinctHosts(db: Db, sql: string, from: number, to: number): Set<string> {
  return new Set((db.prepare(sql).all(from, to) as Array<{ host: string }>).map((r) => r.host));
}

export function hostMap(db: Db, config: Config, to: number): HostMap {
  const learnFrom = to - config.sla.learn_days * 86_400;
  const known = new Set<string>([...loggedHosts(db, learnFrom, to), ...Object.keys(config.hosts)]);
  const names = new Map<string, string>(); // lower-case name, short name or address → host
  for (const h of known) {
    names.set(h.toLowerCase(), h);
    const short = h.split('.')[0]!.toLowerCase();
    if (!names.has(short)) names.set(short, h);
  }
  const resolveName = (n: string): string | null => names.get(n.toLowerCase()) ?? names.get(n.split('.')[0]!.toLowerCase()) ?? null;

  // Addresses of the mailbox servers, from LMTP relays (`mbox1.unipi.it[10.1.0.11]:24`).
  const relayCounts = db
    .prepare(`SELECT relay, count(DISTINCT lower(recipient)) AS n FROM deliveries WHERE at >= ? AND at < ? AND hop = 'mailbox' AND status = 'sent' GROUP BY relay`)
    .all(learnFrom, to) as Array<{ relay: string; n: number }>;
  const mailboxCount = new Map<string, number>();
  for (const r of relayCounts) {
    const m = RE_RELAY.exec(r.relay);
    if (!m) continue;
    const host = resolveName(m[1]!) ?? (known.has(m[1]!) ? m[1]! : null);
    if (!host) continue;
    if (m[2]) names.set(m[2].toLowerCase(), host);
    mailboxCount.set(host, (mailboxCount.get(host) ?? 0) + r.n);
  }
  // A mailbox server's own login lines name its address (lip).
  for (const r of db.prepare(`SELECT DISTINCT host, lip FROM logins WHERE at >= ? AND at < ? AND backend IS NULL AND lip IS NOT NULL LIMIT 10000`).all(learnFrom, to) as Array<{ host: string; lip: string }>) {
    if (!names.has(r.lip.toLowerCase())) names.set(r.lip.toLowerCase(), r.host);
  }
  const resolve = (n: string): string | null => resolveName(n);
  for (const r of db
    .prepare(`SELECT backend, count(DISTINCT lower(username)) AS n FROM logins WHERE at >= ? AND at < ? AND backend IS NOT NULL AND success = 1 GROUP BY backend`)
    .all(learnFrom, to) as Array<{ backend: string; n: number }>) {
    const host = resolve(r.backend.replace(/^\[?([^\]]*?)\]?(?::\d+)?$/, '$1'));
    if (host) mailboxCount.set(host, Math.max(mailboxCount.get(host) ?? 0, r.n));
  }

  // Learned for every host; a host the config gives roles to takes the config's.
  const learned = new Map<string, Set<HostRole>>();
  const add = (hosts: Iterable<string>, role: HostRole): void => {
    for (const h of hosts) {
      if (!learned.has(h)) learned.set(h, new Set());
      learned.get(h)!.add(role);
    }
  };
  add(distinctHosts(db, `SELECT DISTINCT host FROM connection_tally WHERE minute_at >= ? AND minute_at < ?`, learnFrom, to), 'mx');
  add(distinctHosts(db, `SELECT DISTINCT host FROM messages WHERE submitted_at >= ? AND submitted_at < ?`, learnFrom, to), 'submission');
  add(distinctHosts(db, `SELECT DISTINCT host FROM verdicts WHERE at >= ? AND at < ?`, learnFrom, to), 'filter');
  // A proxied login is one row (the backend's line and the proxy's are one login, METRICS.md):
  // the proxies are the hosts logging logins that are not mailbox servers.
  const loginHosts = distinctHosts(db, `SELECT DISTINCT host FROM logins WHERE at >= ? AND at < ?`, learnFrom, to);
  add([...loginHosts].filter((h) => !mailboxCount.has(h)), 'imap-proxy');
  add(mailboxCount.keys(), 'mailbox');
  const roles: HostRoleEntry[] = [];
  for (const [host, h] of Object.entries(config.hosts)) {
    if (h.roles.length === 0) continue;
    const learnedShare = h.roles.includes('mailbox') ? (mailboxCount.get(host) ?? null) : null;
    roles.push({ host, roles: [...h.roles], mailbox_share: h.mailbox_share ?? learnedShare, source: 'config' });
  }
  for (const [host, set] of [...learned].sort((a, b) => a[0].localeCompare(b[0]))) {
    if ((config.hosts[host]?.roles.length ?? 0) > 0) continue;
    roles.push({ host, roles: [...set].sort(), mailbox_share: set.has('mailbox') ? (mailboxCount.get(host) ?? 0) : null, source: 'learned' });
  }
  // Shares: configured ones as given, the others learned; normalized over the mailbox servers.
  const mailboxHosts = roles.filter((r) => r.roles.includes('mailbox'));
  const total = mailboxHosts.reduce((s, r) => s + (r.mailbox_share ?? 0), 0);
  const shareOf = new Map<string, number>();
  for (const r of mailboxHosts) {
    const share = total > 0 ? (r.mailbox_share ?? 0) / total : 1 / mailboxHosts.length;
    shareOf.set(r.host, share);
    if (r.source === 'learned' || config.hosts[r.host]?.mailbox_share === undefined) r.mailbox_share = round6(share);
  }
  const hostsOf = new Map<ServiceName, string[]>();
  for (const r of roles) {
    for (const role of r.roles) {
      for (const s of servicesOfRole[role]) {
        if (!hostsOf.has(s)) hostsOf.set(s, []);
        if (!hostsOf.get(s)!.includes(r.host)) hostsOf.get(s)!.push(r.host);
      }
    }
  }
  return { roles, hostsOf, shareOf, resolve };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** The services `host` provides, by its roles. */
export function servicesOfHost(map: HostMap, host: string): ServiceName[] {
  const out: ServiceName[] = [];
  for (const [s, hosts] of map.hostsOf) if (hosts.includes(host)) out.push(s);
  return out;
}
