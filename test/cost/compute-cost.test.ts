// computeCost over generated logs ingested into a real SQLite file: the mailbox count, its daily
// series and the departments equal what the generator wrote (its truth); storage from the
// generated doveadm snapshots; the chargeback reconciles to the budget to the cent.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeEnv, type TestEnv } from '../helpers/env';
import { generateToFile, type GenerateResult } from '../../collectors/generate/index';
import { writeQuotaSnapshots, type QuotaTruth } from '../../collectors/generate/quota-snapshots';
import { parseDoveadmQuota, storeSnapshot } from '../../cost/quota-import';
import { computeCost, chargebackCsv, type CostReport } from '../../cost/index';
import { parseConfig } from '../../core/config/load';
import { GB } from '../../cost/storage';
import { yearsBetween } from '../../cost/model';

const departments = [
  { name: 'Mathematics', domains: ['dm.unipi.it'] },
  { name: 'Engineering', domains: ['ing.unipi.it'] },
  { name: 'Computer Science', patterns: ['*@di.unipi.it'] },
];
const FROM = '2026-11-02';
const TO = '2026-11-04';

let env: TestEnv;
let gen: GenerateResult;
let quota: QuotaTruth;
let report: CostReport;

beforeAll(async () => {
  env = await makeEnv([], { budget: { departments } });
  gen = await generateToFile({ start: FROM, days: 3, scale: 0.01, tz: 'Europe/Rome', seed: 11, outagePlan: 'none' }, join(env.dir, 'gen.log'));
  await env.pipeline.ingestFile(join(env.dir, 'gen.log'), { year: 2026 });
  env.pipeline.flushRollups();
  quota = writeQuotaSnapshots({ start: FROM, days: 3, scale: 0.01, seed: 11 }, join(env.dir, 'quota'));
  for (const d of quota.days) storeSnapshot(env.db, d.date, parseDoveadmQuota(readFileSync(join(env.dir, 'quota', d.file), 'utf8')));
  report = computeCost(env.db, env.config, { from: FROM, to: TO });
}, 120_000);

afterAll(() => env?.close());

describe('computeCost on generated logs', () => {
  it('counts the mailboxes the generator wrote, overall and per day', () => {
    expect(gen.truth.mailboxes.total).toBeGreaterThan(30);
    expect(report.mailboxes).toBe(gen.truth.mailboxes.total);
    expect(report.mailboxes_source).toBe('counted');
    expect(report.daily_mailboxes).toEqual(gen.truth.mailboxes.days);
  });

  it('forward-only addresses are not mailboxes', () => {
    // the world's forwarders live at studenti.unipi.it and get only remote deliveries
    expect(gen.truth.mailboxes.by_domain['studenti.unipi.it']).toBeUndefined();
    const delivered = gen.truth.days.reduce((s, d) => s + d.delivered, 0);
    expect(report.delivered).toBe(delivered);
  });

  it('departments get the mailboxes of their domains; the rest is shown as unallocated', () => {
    const byDomain = gen.truth.mailboxes.by_domain;
    const dep = Object.fromEntries(report.departments.map((d) => [d.department, d]));
    expect(dep.Mathematics!.mailboxes).toBe(byDomain['dm.unipi.it'] ?? 0);
    expect(dep.Engineering!.mailboxes).toBe(byDomain['ing.unipi.it'] ?? 0);
    expect(dep['Computer Science']!.mailboxes).toBe(byDomain['di.unipi.it'] ?? 0);
    const mapped = ['dm.unipi.it', 'ing.unipi.it', 'di.unipi.it'].reduce((s, d) => s + (byDomain[d] ?? 0), 0);
    expect(dep.unallocated!.mailboxes).toBe(gen.truth.mailboxes.total - mapped);
    expect(dep.unallocated!.mailboxes).toBeGreaterThan(0);
    expect(mapped).toBeGreaterThan(0);
    expect(report.departments.map((d) => d.department)).toEqual(['Mathematics', 'Engineering', 'Computer Science', 'unallocated']);
  });

  it('storage equals the snapshots written: total, per department, growth', () => {
    const last = quota.days[quota.days.length - 1]!;
    expect(report.storage.available).toBe(true);
    if (!report.storage.available) return;
    expect(report.storage.date).toBe(TO);
    expect(report.storage.mailboxes).toBe(last.mailboxes);
    expect(report.storage.used_gb).toBe(Math.round((last.used_bytes / GB) * 100) / 100);
    expect(report.storage.days.map((d) => d.date)).toEqual(quota.days.map((d) => d.date));
    const math = report.departments.find((d) => d.department === 'Mathematics')!;
    expect(math.used_gb).toBe(Math.round(((last.by_domain['dm.unipi.it'] ?? 0) / GB) * 100) / 100);
    // the generated usage grows: a positive growth and a fill date after the last snapshot
    expect(report.storage.growth_gb_per_month).toBeGreaterThan(0);
    expect(report.storage.fills_on! > TO).toBe(true);
    expect(report.per_gb_used_year).toBeCloseTo(report.totals.full_year / report.storage.used_gb, 2);
  });

  it('the chargeback reconciles to the budget to the cent, in JSON and CSV', () => {
    const windowBudget = Math.round(8660 * yearsBetween(FROM, TO) * 100) / 100;
    expect(report.totals.window_budget).toBe(windowBudget);
    const sumCents = report.departments.reduce((s, d) => s + Math.round(d.cost * 100), 0);
    expect(sumCents).toBe(Math.round(windowBudget * 100));
    const ratios = report.departments.reduce((s, d) => s + d.ratio, 0);
    expect(ratios).toBeCloseTo(1, 5);
    // evenly per mailbox: Mathematics' ratio is its share of the mailboxes
    const math = report.departments.find((d) => d.department === 'Mathematics')!;
    expect(math.ratio).toBeCloseTo(math.mailboxes / report.mailboxes, 5);

    const csv = chargebackCsv(report.chargeback, report.currency, report.allocation.method).trim().split('\r\n');
    const head = csv[0]!.split(',');
    for (const col of ['BillingPeriodStart', 'BillingPeriodEnd', 'BilledCost', 'EffectiveCost', 'AllocatedRatio', 'AllocationMethod', 'Department']) expect(head).toContain(col);
    const rows = csv.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [head[i]!, v])));
    expect(rows).toHaveLength(4); // one month x (3 departments + unallocated)
    expect(rows.every((r) => r.BillingPeriodStart === FROM && r.BillingPeriodEnd === '2026-11-05' && r.AllocationMethod === 'evenly')).toBe(true);
    expect(rows.reduce((s, r) => s + Math.round(Number(r.BilledCost) * 100), 0)).toBe(Math.round(windowBudget * 100));
  });

  it('allocation by storage or by messages weighs departments by what they use', () => {
    const byStorage = computeCost(env.db, parseConfig({ ...env.config, budget: { departments, allocation: 'storage' } }), { from: FROM, to: TO });
    expect(byStorage.allocation.method).toBe('storage');
    const total = byStorage.departments.reduce((s, d) => s + (d.used_gb ?? 0), 0);
    const eng = byStorage.departments.find((d) => d.department === 'Engineering')!;
    expect(eng.ratio).toBeCloseTo(eng.used_gb! / total, 3);
    const byMessages = computeCost(env.db, parseConfig({ ...env.config, budget: { departments, allocation: 'messages' } }), { from: FROM, to: TO });
    const msgs = byMessages.departments.reduce((s, d) => s + d.messages, 0);
    const un = byMessages.departments.find((d) => d.department === 'unallocated')!;
    expect(un.ratio).toBeCloseTo(un.messages / msgs, 5);
    expect(byMessages.departments.reduce((s, d) => s + Math.round(d.cost * 100), 0)).toBe(Math.round(byMessages.totals.window_budget * 100));
  });

  it('a fixed mailbox count overrides the logs: the seed figures to the cent', () => {
    const fixed = computeCost(env.db, parseConfig({ ...env.config, budget: { mailboxes: 5000 } }), { from: FROM, to: TO });
    expect(fixed.mailboxes).toBe(5000);
    expect(fixed.mailboxes_counted).toBe(gen.truth.mailboxes.total);
    expect(fixed.investment_per_mailbox).toBe(5.66);
    expect(fixed.running_per_mailbox_year).toBe(0.6);
    expect(fixed.full_per_mailbox_year).toBe(1.73);
    expect(fixed.scenarios[0]!.investment_per_mailbox).toBe(2.83);
  });

  it('without snapshots, storage says it needs them instead of showing zeros', () => {
    const none = computeCost(env.db, env.config, { from: '2026-11-10', to: '2026-11-11' });
    expect(none.storage.available).toBe(false);
    if (!none.storage.available) expect(none.storage.note).toMatch(/need quota snapshots/);
    expect(none.per_gb_used_year).toBeNull();
    expect(none.departments.every((d) => d.used_gb === null)).toBe(true);
  });
});
