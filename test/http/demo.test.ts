// Demo bootstrap on a fresh machine: history + today so far, then today's lines as time passes.
import { describe, it, expect } from 'vitest';
import { makeEnv } from '../helpers/env';
import { DemoFeed, needsDemo, isDemoDb, demoCredentials, demoDepartments, stampTime } from '../../server/demo';
import { computeCost } from '../../cost/index';
import { DEPARTMENTS } from '../../collectors/generate/world';
import { computeSla } from '../../sla/index';
import { ReportStore } from '../../reports/report-store';
import { mailboxUse } from '../../cost/mailbox-queries';
import { verifyPassword } from '../../server/http/passwords';
import { isWallToken, checkLogin } from '../../server/http/auth';
import { dailyFigures } from '../../core/rollup/rollup';

describe('demo', () => {
  it('generates 35 days up to yesterday plus today so far, then releases lines as the clock moves', async () => {
    const env = await makeEnv([], { demo: true });
    expect(needsDemo(env.db, env.config)).toBe(true);
    let now = Date.UTC(2026, 10, 29, 11, 0, 0); // 12:00 in Rome
    // as `serve` runs it: with the demo's departments
    const config = demoDepartments(env.config);
    const demo = new DemoFeed(env.pipeline, config, env.dir, () => now, 0.0005);
    const r = await demo.bootstrap();
    expect(r.lines).toBeGreaterThan(10_000);
    expect(needsDemo(env.db, env.config)).toBe(false);
    expect(isDemoDb(env.db, env.config)).toBe(true);
    const days = dailyFigures(env.db, 'Europe/Rome', '2026-10-24', '2026-11-29');
    expect(days[0]!.connections).toBe(0); // before the history
    expect(days[1]!.date).toBe('2026-10-25');
    expect(days[1]!.connections).toBeGreaterThan(0);
    expect(days.every((d, i) => i === 0 || d.connections > 0)).toBe(true);
    // the cost page has what a site's nightly quota job and its departments give it
    const snapshots = env.db.prepare(`SELECT count(DISTINCT date) AS days, count(DISTINCT mailbox) AS mailboxes FROM quota_snapshots`).get() as { days: number; mailboxes: number };
    expect(snapshots.days).toBe(35);
    expect(snapshots.mailboxes).toBeGreaterThan(0);
    const cost = computeCost(env.db, config, { from: '2026-10-25', to: '2026-11-28' });
    expect(cost.storage.available).toBe(true);
    if (cost.storage.available) expect(cost.storage.date).toBe('2026-11-28');
    const cs = cost.departments.find((d) => d.department === 'Computer Science');
    expect(cs?.mailboxes).toBeGreaterThan(0);
    expect(cs?.used_gb).toBeGreaterThan(0);
    expect(cost.departments.map((d) => d.department)).toContain('unallocated');
    // last month's report is there, as the scheduled job would have written it
    const report = new ReportStore(env.config.reports.folder).readModel('2026-10');
    expect(report?.current.days_with_data).toBe(7);
    expect(report?.cost?.departments.map((d) => d.name)).toEqual([...DEPARTMENTS.map((d) => d.name), 'unallocated']);
    // and the SLA page's default 30 days hold the outage plan's incidents (a week ago)
    const sla = computeSla(env.db, env.config, { from: '2026-10-30', to: '2026-11-28' }, now);
    expect(sla.incidents.map((i) => i.service).sort()).toEqual(['filter', 'mailbox', 'smtp-in']);
    expect(sla.incidents.every((i) => i.start.startsWith('2026-11-22'))).toBe(true);
    const today = days[days.length - 1]!.connections;
    now += 3 * 3600_000;
    expect(await demo.release()).toBeGreaterThan(0);
    env.pipeline.flushRollups();
    expect(dailyFigures(env.db, 'Europe/Rome', '2026-11-29', '2026-11-29')[0]!.connections).toBeGreaterThan(today);
    // today's mail is the history's users' (the quota snapshots list them all)
    const [t0, t1] = [Date.UTC(2026, 10, 28, 23) / 1000, Date.UTC(2026, 10, 29, 23) / 1000];
    const todays = [...mailboxUse(env.db, t0, t1).keys()];
    expect(todays.length).toBeGreaterThan(0);
    const known = new Set((env.db.prepare(`SELECT DISTINCT lower(mailbox) AS m FROM quota_snapshots`).all() as Array<{ m: string }>).map((r) => r.m));
    expect(todays.filter((m) => !known.has(m))).toEqual([]);
    env.close();
  });

  it('is not generated when sources are configured, demo is off or the database has data', async () => {
    const env = await makeEnv([], { demo: true, sources: [{ path: '/var/log/mail.log' }] });
    expect(needsDemo(env.db, env.config)).toBe(false);
    env.close();
    const off = await makeEnv([], { demo: false });
    expect(needsDemo(off.db, off.config)).toBe(false);
    off.close();
  });

  it('creates demo logins with random passwords and a wall token', async () => {
    const env = await makeEnv([], { demo: true, users: [] });
    const c = demoCredentials(env.config);
    expect(c.logins.map((l) => l.role)).toEqual(['admin', 'operator', 'manager']);
    for (const l of c.logins) {
      expect(l.password).toMatch(/^[A-Za-z0-9]{16}$/);
      const u = c.config.users.find((x) => x.name === l.name)!;
      expect(await verifyPassword(l.password, u.password)).toBe(true);
      expect((await checkLogin(c.config, l.name, l.password))?.role).toBe(l.role);
    }
    expect(isWallToken(c.config, c.wallToken)).toBe(true);
    expect(demoCredentials(env.config).logins[0]!.password).not.toBe(c.logins[0]!.password);
    env.close();
  });

  it('reads syslog stamps in the configured zone', () => {
    expect(stampTime('Nov 29 14:05:09 mx1 postfix/qmgr[1]: x', 'Europe/Rome', 2026)).toBe(Date.UTC(2026, 10, 29, 13, 5, 9) / 1000);
    expect(stampTime('garbage', 'Europe/Rome', 2026)).toBeNull();
  });
});
