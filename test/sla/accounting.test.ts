// The accounting over rows written straight into a real SQLite file: probe outages, maintenance,
// unknown spans, rounding, incidents, error budget and burn rates. Every expected number is
// worked out in the test from the spans it writes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config/load';
import { openDb, type Db } from '../../core/db/open';
import { dayBounds } from '../../core/time/local-time';
import { computeSla, computeSlaWith, declareMaintenance, floorRatio, formatPercent } from '../../sla/index';

const TZ = 'Europe/Rome';
const DATE = '2026-06-15';
const [DAY0, DAY1] = dayBounds(TZ, DATE);
const NOW = (DAY1 + 5 * 86_400) * 1000;
const FULL = 2 ** 30 - 1; // 30 minutes logged

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'postino-sla-acc-'));
  db = openDb(join(dir, 'db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const hosts = {
  'mx1.example.org': { roles: ['mx', 'filter'] },
  'mx2.example.org': { roles: ['mx', 'filter'] },
  'imap1.example.org': { roles: ['imap-proxy'] },
  'mbox1.example.org': { roles: ['mailbox'], mailbox_share: 0.25 },
  'mbox2.example.org': { roles: ['mailbox'], mailbox_share: 0.75 },
};
const config = (sla: Record<string, unknown> = {}, timezone = TZ) => parseConfig({ timezone, database: join(dir, 'db'), hosts, sla: { quiet_after_s: 0, ...sla } });

/** Every host logged every minute of [from, to), except the given hours. */
function logged(from: number, to: number, except: (hourAt: number) => boolean = () => false): void {
  const ins = db.prepare(`INSERT INTO host_activity (hour_at, host, lo, hi) VALUES (?, ?, ?, ?)`);
  db.transaction(() => {
    for (let h = from; h < to; h += 3600) {
      if (except(h)) continue;
      for (const host of Object.keys(hosts)) ins.run(h, host, FULL, FULL);
    }
  })();
}
function event(at: number, host: string, daemon: string, ev: string, line = `${daemon} ${ev}`, target: string | null = null, port: number | null = null): void {
  db.prepare(`INSERT INTO service_events (at, host, daemon, event, target, port, line) VALUES (?, ?, ?, ?, ?, ?, ?)`).run(at, host, daemon, ev, target, port, line);
}
function probe(at: number, ok: boolean, host = 'imap1.example.org', service = 'imap', name = 'imap1'): void {
  db.prepare(`INSERT INTO probe_results (at, probe, host, service, ok, latency_ms, detail) VALUES (?, ?, ?, ?, ?, ?, ?)`).run(at, name, host, service, ok ? 1 : 0, ok ? 12 : null, ok ? '' : 'connect ECONNREFUSED');
}
const svc = (r: ReturnType<typeof computeSla>, s: string) => r.services.find((x) => x.service === s)!;

describe('probe outages', () => {
  it('a failed probe opens an outage of its host and service, the next success closes it', () => {
    logged(DAY0, DAY1);
    const t = DAY0 + 10 * 3600;
    probe(t - 10, true);
    probe(t, false);
    probe(t + 10, false);
    probe(t + 120, true);
    probe(t + 130, true);
    const r = computeSla(db, config(), { from: DATE, to: DATE }, NOW);
    expect(r.hosts.find((h) => h.host === 'imap1.example.org' && h.service === 'imap')!.downtime_s).toBe(120);
    // the only imap host: the service is down too
    expect(svc(r, 'imap').downtime_s).toBe(120);
    expect(svc(r, 'imap').availability).toBe(floorRatio(86_400 - 120, 86_400));
    const inc = r.incidents.find((i) => i.service === 'imap')!;
    expect(inc).toMatchObject({ cause: 'probe', open: false, hosts: ['imap1.example.org'] });
  });

  it('a failure with no success yet is an open outage, up to now', () => {
    const now = DAY0 + 12 * 3600;
    logged(DAY0, now);
    probe(now - 600, true);
    probe(now - 300, false);
    probe(now - 10, false);
    const r = computeSla(db, config(), { from: DATE, to: DATE }, now * 1000);
    const inc = r.incidents.find((i) => i.service === 'imap')!;
    expect(inc).toMatchObject({ open: true, end: null });
    expect(svc(r, 'imap').downtime_s).toBe(300);
    // 300 s of the last 6 h / 30 min / 1 h / 5 min: all burn far above 14.4x a 0.99999 target
    const burn = r.burn_rates.find((b) => b.service === 'imap')!;
    expect(burn.burn['5m']).toBeCloseTo(1 / 1e-5, -2);
    expect(burn.burn['1h']).toBeCloseTo(300 / 3600 / 1e-5, -2);
    expect(burn).toMatchObject({ page: true, ticket: true });
    expect(r.burn_rates.find((b) => b.service === 'smtp-in')).toMatchObject({ page: false, ticket: false });
  });
});

describe('a long probe outage', () => {
  it('that began days before the window and still fails covers the window whole, and is one open incident', () => {
    const now = DAY1 + 3600;
    logged(DAY0 - 4 * 86_400, now);
    probe(DAY0 - 4 * 86_400, true);
    // a failure every 5 minutes since 3 days before the window
    for (let t = DAY0 - 3 * 86_400; t < now; t += 300) probe(t, false);
    const r = computeSla(db, config(), { from: DATE, to: DATE }, now * 1000);
    expect(svc(r, 'imap').downtime_s).toBe(86_400);
    expect(svc(r, 'imap').availability).toBe(0);
    const open = r.incidents.filter((i) => i.service === 'imap');
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ open: true, end: null, cause: 'probe' });
    expect(Date.parse(open[0]!.start) / 1000).toBe(DAY0 - 3 * 86_400);
  });
});

describe('daemon outages, maintenance and unknown spans', () => {
  it('a maintenance window excludes exactly its span from the SLA figure, not from the raw one', () => {
    logged(DAY0, DAY1);
    const t = DAY0 + 9 * 3600;
    event(t, 'mx1.example.org', 'postfix', 'stop');
    event(t + 1800, 'mx1.example.org', 'postfix', 'start');
    event(t + 600, 'mx2.example.org', 'postfix', 'stop');
    event(t + 1500, 'mx2.example.org', 'postfix', 'start');
    // smtp-in down while both are: [t+600, t+1500) = 900 s; maintenance covers [t+700, t+1000)
    const iso = (s: number) => new Date(s * 1000).toISOString();
    const r = computeSla(db, config({ maintenance: [{ from: iso(t + 700), to: iso(t + 1000), services: ['smtp-in'], note: 'kernel update' }] }), { from: DATE, to: DATE }, NOW);
    const s = svc(r, 'smtp-in');
    expect(s.raw_downtime_s).toBe(900);
    expect(s.downtime_s).toBe(600);
    expect(s.maintenance_s).toBe(300);
    expect(s.availability).toBe(floorRatio(86_400 - 300 - 600, 86_400 - 300));
    expect(s.raw_availability).toBe(floorRatio(86_400 - 900, 86_400));
    expect(r.maintenance).toEqual([expect.objectContaining({ services: ['smtp-in'], reason: 'kernel update', source: 'config' })]);
    // the filter is not under maintenance and Amavis never stopped
    expect(svc(r, 'filter').maintenance_s).toBe(0);
    expect(r.hosts.find((h) => h.host === 'mx1.example.org' && h.service === 'smtp-in')!.downtime_s).toBe(1800 - 300);
  });

  it('a maintenance window an admin declared afterwards counts the same', () => {
    logged(DAY0, DAY1);
    const t = DAY0 + 9 * 3600;
    event(t, 'mbox1.example.org', 'dovecot', 'killed');
    event(t + 400, 'mbox1.example.org', 'dovecot', 'start');
    declareMaintenance(db, { fromAt: t - 100, toAt: t + 100, services: [], reason: 'disk swap', declaredBy: 'admin', declaredAt: DAY1 });
    const r = computeSla(db, config(), { from: DATE, to: DATE }, NOW);
    // mbox1 holds a quarter of the mailboxes: 300 s outside maintenance x 0.25
    expect(svc(r, 'mailbox').downtime_s).toBe(75);
    expect(svc(r, 'mailbox').raw_downtime_s).toBe(100);
    expect(r.maintenance).toEqual([expect.objectContaining({ reason: 'disk swap', source: 'declared', declared_by: 'admin', services: [] })]);
  });

  it('a gap in the logs is unknown, not up: it leaves the figures and lowers the coverage', () => {
    // nothing logged from 02:00 to 04:00 local (two hours), while mbox2 was stopped
    logged(DAY0, DAY1, (h) => h >= DAY0 + 2 * 3600 && h < DAY0 + 4 * 3600);
    event(DAY0 + 2 * 3600 - 600, 'mbox2.example.org', 'dovecot', 'stop');
    event(DAY0 + 4 * 3600 + 600, 'mbox2.example.org', 'dovecot', 'start');
    const r = computeSla(db, config(), { from: DATE, to: DATE }, NOW);
    expect(r.unknown_s).toBe(7200);
    expect(r.coverage).toBe(floorRatio(86_400 - 7200, 86_400));
    // only the 20 known minutes count, weighted 0.75
    expect(svc(r, 'mailbox').downtime_s).toBe(1200 * 0.75);
    expect(svc(r, 'mailbox').availability).toBe(floorRatio(86_400 - 7200 - 900, 86_400 - 7200));
  });

  it('a stop with no start is open until the start arrives', () => {
    const now = DAY0 + 15 * 3600;
    logged(DAY0, now);
    event(now - 900, 'mx1.example.org', 'amavis', 'stop', '(!)Net::Server: 2026/06/15-14:45:00 Server closing!');
    const r = computeSlaWith(db, config(), { from: DATE, to: DATE }, now * 1000, { evidence: true });
    const inc = r.incidents.find((i) => i.service === 'filter')!;
    expect(inc).toMatchObject({ open: true, end: null, hosts: ['mx1.example.org'], service_downtime_s: 0 });
    expect(inc.timeline[0]!.evidence).toEqual(['(!)Net::Server: 2026/06/15-14:45:00 Server closing!']);
    expect(r.hosts.find((h) => h.host === 'mx1.example.org' && h.service === 'filter')!.downtime_s).toBe(900);
  });
});

describe('refusals and quiet hosts', () => {
  it('LMTP refusals to a mailbox server and filter-port refusals on an MX are outages of those', () => {
    logged(DAY0, DAY1);
    const t = DAY0 + 11 * 3600;
    for (const dt of [0, 60, 200]) event(t + dt, 'mx1.example.org', 'postfix', 'refused', `connect to mbox2.example.org[10.0.0.2]:24: Connection refused (${dt})`, 'mbox2.example.org', 24);
    event(t + 1000, 'mx2.example.org', 'postfix', 'refused', 'connect to 127.0.0.1[127.0.0.1]:10024: Connection refused', '127.0.0.1', 10024);
    event(t + 1030, 'mx2.example.org', 'postfix', 'refused', 'connect to 127.0.0.1[127.0.0.1]:10024: Connection refused', '127.0.0.1', 10024);
    // a remote host refusing is not ours
    event(t, 'mx1.example.org', 'postfix', 'refused', 'connect to mx.other.example[192.0.2.1]:25: Connection refused', 'mx.other.example', 25);
    const r = computeSla(db, config(), { from: DATE, to: DATE }, NOW);
    expect(r.hosts.find((h) => h.host === 'mbox2.example.org')!.downtime_s).toBe(200);
    expect(r.hosts.find((h) => h.host === 'mx2.example.org' && h.service === 'filter')!.downtime_s).toBe(30);
    expect(svc(r, 'mailbox').downtime_s).toBe(150);
    expect(r.incidents.map((i) => `${i.service}:${i.cause}`).sort()).toEqual(['filter:unreachable', 'mailbox:unreachable']);
  });

  it('a host silent for the quiet time while its peers log is down', () => {
    const ins = db.prepare(`INSERT INTO host_activity (hour_at, host, lo, hi) VALUES (?, ?, ?, ?)`);
    for (let h = DAY0; h < DAY1; h += 3600) {
      for (const host of Object.keys(hosts)) {
        // mx2 logs nothing from 10:00 to 10:45 (lo empty, hi minutes 45-59 only)
        const quiet = host === 'mx2.example.org' && h === DAY0 + 10 * 3600;
        ins.run(h, host, quiet ? 0 : FULL, quiet ? (2 ** 30 - 1) & ~(2 ** 15 - 1) : FULL);
      }
    }
    const r = computeSla(db, config({ quiet_after_s: 1800 }), { from: DATE, to: DATE }, NOW);
    expect(r.hosts.find((h) => h.host === 'mx2.example.org' && h.service === 'smtp-in')!.downtime_s).toBe(45 * 60);
    expect(r.incidents.find((i) => i.service === 'smtp-in')).toMatchObject({ cause: 'quiet', hosts: ['mx2.example.org'] });
    const longer = computeSla(db, config({ quiet_after_s: 3600 }), { from: DATE, to: DATE }, NOW);
    expect(longer.hosts.find((h) => h.host === 'mx2.example.org' && h.service === 'smtp-in')!.downtime_s).toBe(0);
  });
});

describe('incidents', () => {
  it('merges outages of one service less than merge_gap_s apart', () => {
    logged(DAY0, DAY1);
    const t = DAY0 + 8 * 3600;
    event(t, 'mx1.example.org', 'postfix', 'stop');
    event(t + 60, 'mx1.example.org', 'postfix', 'start');
    event(t + 260, 'mx2.example.org', 'postfix', 'stop'); // 200 s after: same incident
    event(t + 300, 'mx2.example.org', 'postfix', 'start');
    event(t + 1000, 'mx1.example.org', 'postfix', 'stop'); // 700 s after: a new one
    event(t + 1010, 'mx1.example.org', 'postfix', 'start');
    const r = computeSla(db, config({ merge_gap_s: 300 }), { from: DATE, to: DATE }, NOW);
    const smtp = r.incidents.filter((i) => i.service === 'smtp-in');
    expect(smtp).toHaveLength(2);
    expect(smtp[0]).toMatchObject({ hosts: ['mx1.example.org', 'mx2.example.org'], service_downtime_s: 0 });
    expect(smtp[0]!.timeline.map((e) => `${e.host} ${e.what}`)).toEqual(['mx1.example.org down', 'mx1.example.org up', 'mx2.example.org down', 'mx2.example.org up']);
    const one = computeSla(db, config({ merge_gap_s: 800 }), { from: DATE, to: DATE }, NOW);
    expect(one.incidents.filter((i) => i.service === 'smtp-in')).toHaveLength(1);
  });
});

describe('five decimals, rounded down', () => {
  it('shows 99.9995 as 99.9995, never as 100', () => {
    expect(formatPercent(floorRatio(199_999, 200_000))).toBe('99.9995');
    // one second down in a year
    expect(formatPercent(floorRatio(365 * 86_400 - 1, 365 * 86_400))).toBe('99.99999');
    expect(floorRatio(365 * 86_400 - 1, 365 * 86_400)).toBeLessThan(1);
    expect(formatPercent(1)).toBe('100');
    expect(formatPercent(floorRatio(2, 3))).toBe('66.66666');
  });

  it('a 54 s outage in 125 days is 99.9995%', () => {
    const from = '2026-01-01';
    const to = '2026-05-05'; // 125 days of 86,400 s in UTC (Rome's DST change would take an hour off)
    const [a] = dayBounds('UTC', from);
    const [, b] = dayBounds('UTC', to);
    logged(a, b);
    const window = b - a;
    // pick the outage so that the ratio is exactly 0.999995 of the window
    const down = window / 200_000;
    expect(down).toBe(54);
    event(a + 86_400 * 40, 'mx1.example.org', 'postfix', 'stop');
    event(a + 86_400 * 40 + down, 'mx1.example.org', 'postfix', 'start');
    event(a + 86_400 * 40, 'mx2.example.org', 'postfix', 'stop');
    event(a + 86_400 * 40 + down, 'mx2.example.org', 'postfix', 'start');
    const r = computeSla(db, config({}, 'UTC'), { from, to }, NOW);
    expect(svc(r, 'smtp-in')).toMatchObject({ availability: 0.999995, availability_pct: '99.9995', downtime_s: down });
    expect(svc(r, 'smtp-in').meets_target).toBe(true); // 99.9995 >= 99.999
  });
});

describe('error budget', () => {
  it('counts the calendar month and the rolling 30 days, each saying which it is', () => {
    logged(DAY0 - 20 * 86_400, DAY1);
    // 10 s of smtp-in down on June 15, 12 s on May 30 (in the rolling 30 days, not the month)
    for (const [at, s] of [[DAY0 + 3600, 10], [DAY0 - 16 * 86_400, 12]] as const) {
      for (const h of ['mx1.example.org', 'mx2.example.org']) {
        event(at, h, 'postfix', 'stop');
        event(at + s, h, 'postfix', 'start');
      }
    }
    const r = computeSla(db, config(), { from: DATE, to: DATE }, (DAY1 - 1) * 1000 + 1000);
    const [month, rolling] = r.budget.find((b) => b.service === 'smtp-in')!.periods;
    expect(month).toMatchObject({ kind: 'calendar_month', from: '2026-05-31T22:00:00Z', to: '2026-06-30T22:00:00Z', used_s: 10 });
    expect(month!.budget_s).toBeCloseTo(30 * 86_400 * 1e-5, 3); // 25.92 s
    expect(month!.left_s).toBeCloseTo(25.92 - 10, 3);
    expect(rolling).toMatchObject({ kind: 'rolling_30d', used_s: 22 });
    expect(rolling!.left_s).toBeCloseTo(25.92 - 22, 3);
  });
});
