// The availability acceptance scenario, end to end: the generator's `sla` outage plan writes a
// day of logs (mx3's Postfix down 10 min while the other three MX serve, mbox1's Dovecot down
// 6 min while it holds half the mailboxes, mx2's Amavis down 4 min), `postino ingest` reads
// them into a real SQLite file, and the accounting must find each host's down time within
// 60 s, smtp-in at 100% and the mailbox down time weighted by mbox1's share.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateToFile } from '../../collectors/generate/index';
import { parseConfig } from '../../core/config/load';
import { openDb, type Db } from '../../core/db/open';
import { computeSla, computeSlaWith, type SlaReport } from '../../sla/index';
import { postino, tempDir } from '../helpers/cli';

const DATE = '2026-11-10';
const TZ = 'Europe/Rome';
const dir = tempDir('postino-sla-');
const dbPath = join(dir, 'sla.db');
// The default configuration: quiet hosts count only while their peers carry on, which keeps
// this small scale's sparse relays and proxies from reading as down (docs/sla.md).
const QUIET = { sla: {} };
const NOW = Date.parse('2026-11-20T12:00:00Z');
let db: Db;
let learned: SlaReport;

beforeAll(async () => {
  const log = join(dir, 'day.log');
  await generateToFile({ start: DATE, days: 1, scale: 0.05, tz: TZ, seed: 1, outagePlan: 'sla' }, log);
  const r = postino(['ingest', '--db', dbPath, '--tz', TZ, '--year', '2026', log]);
  expect(r.status, r.stderr).toBe(0);
  db = openDb(dbPath);
  learned = computeSla(db, parseConfig({ timezone: TZ, database: dbPath, ...QUIET }), { from: DATE, to: DATE }, NOW);
}, 120_000);
afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const host = (r: SlaReport, h: string, s: string) => r.hosts.find((x) => x.host === h && x.service === s)!;
const service = (r: SlaReport, s: string) => r.services.find((x) => x.service === s)!;

describe('the acceptance scenario, roles learned from the logs', () => {
  it('gives each host its down time within 60 s', () => {
    const expected: Record<string, number> = {
      'mx3.unipi.it|smtp-in': 600,
      'mbox1.unipi.it|mailbox': 360,
      'mx2.unipi.it|filter': 240,
    };
    expect(learned.hosts.length).toBeGreaterThanOrEqual(14);
    for (const h of learned.hosts) {
      const want = expected[`${h.host}|${h.service}`] ?? 0;
      expect(Math.abs(h.downtime_s - want), `${h.host} ${h.service}: ${h.downtime_s} s`).toBeLessThanOrEqual(60);
    }
    expect(host(learned, 'mx3.unipi.it', 'smtp-in').downtime_s).toBeGreaterThan(0);
  });

  it('keeps smtp-in and the filter at 100% while one of their hosts is down', () => {
    expect(service(learned, 'smtp-in')).toMatchObject({ availability: 1, availability_pct: '100', downtime_s: 0, hosts: 4 });
    expect(service(learned, 'filter')).toMatchObject({ availability: 1, downtime_s: 0 });
  });

  it('weights the mailbox down time by the learned share (half the mailboxes: 180 s)', () => {
    const mb = service(learned, 'mailbox');
    expect(mb.downtime_s).toBeGreaterThan(180 - 30);
    expect(mb.downtime_s).toBeLessThan(180 + 30);
    expect(mb.availability).toBeLessThan(1);
    const shares = learned.roles.filter((r) => r.roles.includes('mailbox'));
    expect(shares.map((r) => r.host)).toEqual(['mbox1.unipi.it', 'mbox2.unipi.it']);
    for (const r of shares) expect(Math.abs(r.mailbox_share! - 0.5)).toBeLessThan(0.05);
  });

  it('learns the roles: postscreen on the MX, SASL on the relays, proxies, mailbox servers', () => {
    const roles = Object.fromEntries(learned.roles.map((r) => [r.host, r.roles.join(',')]));
    expect(roles).toMatchObject({
      'mx1.unipi.it': 'filter,mx',
      'mx4.unipi.it': 'filter,mx',
      'smtp-out1.unipi.it': 'filter,submission',
      'imap1.unipi.it': 'imap-proxy',
      'mbox2.unipi.it': 'mailbox',
    });
    expect(learned.roles.every((r) => r.source === 'learned')).toBe(true);
  });

  it('makes one closed incident per outage, with its timeline and cause', () => {
    const byService = Object.fromEntries(learned.incidents.map((i) => [i.service, i]));
    expect(learned.incidents).toHaveLength(3);
    expect(byService['smtp-in']).toMatchObject({ hosts: ['mx3.unipi.it'], cause: 'daemon-stop', open: false, service_downtime_s: 0 });
    expect(byService['mailbox']).toMatchObject({ hosts: ['mbox1.unipi.it'], cause: 'daemon-stop', open: false });
    expect(byService['filter']).toMatchObject({ hosts: ['mx2.unipi.it'], cause: 'daemon-stop' });
    // the clients saw it too: LMTP deferrals and the filter-port deferrals
    expect(byService['mailbox']!.causes).toContain('unreachable');
    expect(byService['filter']!.causes).toContain('unreachable');
    expect(byService['smtp-in']!.start).toBe('2026-11-10T09:00:00Z'); // 10:00 in Rome
    expect(byService['smtp-in']!.end).toBe('2026-11-10T09:10:00Z');
    expect(byService['mailbox']!.timeline[0]).toMatchObject({ host: 'mbox1.unipi.it', what: 'down' });
    // no evidence lines unless asked for (they name users)
    expect(JSON.stringify(learned)).not.toContain('Connection refused');
  });

  it('has the evidence lines when asked for', () => {
    const r = computeSlaWith(db, parseConfig({ timezone: TZ, database: dbPath, ...QUIET }), { from: DATE, to: DATE }, NOW, { evidence: true });
    const mb = r.incidents.find((i) => i.service === 'mailbox')!;
    const lines = mb.timeline.flatMap((t) => t.evidence ?? []);
    expect(lines.some((l) => l.includes('Killed with signal 15'))).toBe(true);
    expect(lines.some((l) => /connect to mbox1\.unipi\.it\[10\.1\.0\.11\]:24: Connection refused/.test(l))).toBe(true);
  });

  it('covers the whole day', () => {
    expect(learned.unknown_s).toBe(0);
    expect(learned.coverage).toBe(1);
  });
});

describe('the acceptance scenario, roles and shares from the config', () => {
  it('weights mbox1 by its configured share: 0.5 x 360 s', () => {
    const hosts = {
      'mx1.unipi.it': { roles: ['mx'] },
      'mx2.unipi.it': { roles: ['mx', 'filter'] },
      'mx3.unipi.it': { roles: ['mx', 'filter'] },
      'mx4.unipi.it': { roles: ['mx'] },
      'mbox1.unipi.it': { roles: ['mailbox'], mailbox_share: 0.5 },
      'mbox2.unipi.it': { roles: ['mailbox'], mailbox_share: 0.5 },
    };
    const r = computeSla(db, parseConfig({ timezone: TZ, database: dbPath, hosts, ...QUIET }), { from: DATE, to: DATE }, NOW);
    const mb = service(r, 'mailbox');
    const mbox1 = host(r, 'mbox1.unipi.it', 'mailbox').downtime_s;
    expect(Math.abs(mbox1 - 360)).toBeLessThanOrEqual(60);
    expect(mb.downtime_s).toBeCloseTo(mbox1 * 0.5, 6);
    expect(r.roles.find((x) => x.host === 'mbox1.unipi.it')).toMatchObject({ source: 'config', mailbox_share: 0.5 });
    // 86,400 s day, mailbox down 0.5 x 360 s: 1 - 180/86400 = 0.99791666.. rounded down
    expect(mb.availability).toBe(Math.floor((1 - mb.downtime_s / 86_400) * 1e7) / 1e7);
    expect(service(r, 'smtp-in').availability).toBe(1);
  });
});

describe('postino sla', () => {
  it('prints the report as JSON with the issue shape and ISO 8601 times', () => {
    const cfg = join(dir, 'postino.yml');
    writeFileSync(cfg, 'sla:\n  quiet_after_s: 600\n');
    const r = postino(['sla', '--db', dbPath, '--config', cfg, '--tz', TZ, '--from', DATE, '--to', DATE, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as SlaReport;
    expect(j.services.map((s) => s.service)).toEqual(['smtp-in', 'smtp-out', 'filter', 'imap', 'pop3', 'mailbox', 'webmail']);
    expect(j.hosts.find((h) => h.host === 'mx3.unipi.it' && h.service === 'smtp-in')).toMatchObject({ service: 'smtp-in' });
    expect(j.incidents[0]).toHaveProperty('hosts');
    for (const i of j.incidents) expect(i.start).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(j.maintenance).toEqual([]);
    expect(j.budget.find((b) => b.service === 'mailbox')!.periods.map((p) => p.kind)).toEqual(['calendar_month', 'rolling_30d']);
  });

  it('exits 1 on a bad date and 2 on a missing option', () => {
    expect(postino(['sla', '--db', dbPath, '--from', '2026-13-01', '--to', DATE]).status).toBe(1);
    expect(postino(['sla', '--db', dbPath, '--from', DATE]).status).toBe(2);
  });
});
