// The cost page in Debian's chromium: figures from /api/cost over generated logs and quota
// snapshots, charts drawn, departments with the unallocated bucket, no personal data, and the
// what-if sliders recomputing in the browser as they move. Fails on any console error.
import { haveChromium, launchChromium, listenLoopback, closeServer } from '../helpers/browser';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { type Browser } from 'playwright-core';
import { makeEnv, PASSWORDS, type TestEnv } from '../helpers/env';
import { guardPage } from '../helpers/page-guard';
import { NOW_MS } from '../helpers/lines';
import { generateToFile } from '../../collectors/generate/index';
import { writeQuotaSnapshots } from '../../collectors/generate/quota-snapshots';
import { parseDoveadmQuota, storeSnapshot } from '../../cost/quota-import';
import { computeCost, costModel } from '../../cost/index';
import { scenarioFigures } from '../../cost/model';
import { createApp } from '../../server/http/app';
import { buildWeb } from '../../web/build';

const artifacts = join(process.cwd(), 'test-artifacts');
const FROM = '2026-11-01';
const TO = '2026-11-28';

let env: TestEnv;
let browser: Browser;
let server: Server;
let base = '';

describe.skipIf(!haveChromium)('cost page in chromium', () => {
  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    await buildWeb();
    env = await makeEnv([], { budget: { departments: [{ name: 'Mathematics', domains: ['dm.unipi.it'] }, { name: 'Engineering', domains: ['ing.unipi.it'] }, { name: 'Computer Science', domains: ['di.unipi.it'] }] } });
    await generateToFile({ start: FROM, days: 28, scale: 0.002, tz: 'Europe/Rome', seed: 5, outagePlan: 'none' }, join(env.dir, 'gen.log'));
    await env.pipeline.ingestFile(join(env.dir, 'gen.log'), { year: 2026 });
    env.pipeline.flushRollups();
    const q = writeQuotaSnapshots({ start: FROM, days: 28, scale: 0.002, seed: 5 }, join(env.dir, 'quota'));
    for (const d of q.days) storeSnapshot(env.db, d.date, parseDoveadmQuota(readFileSync(join(env.dir, 'quota', d.file), 'utf8')));
    const app = createApp({ db: env.db, config: env.config, now: () => NOW_MS, log: () => {} });
    ({ server, base } = await listenLoopback(app));
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await closeServer(server);
    env?.close();
  });

  it('shows the figures, charts and departments; the mailbox slider changes the figures', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    // a console error, an exception or a CSP violation on any page fails the test
    const guard = guardPage(page);
    await page.goto(`${base}/cost?from=${FROM}&to=${TO}`);
    await page.waitForURL(/\/login\?next=/);
    await page.fill('#username', 'manager');
    await page.fill('#password', PASSWORDS.manager);
    await Promise.all([page.waitForURL((u) => u.pathname === '/cost'), page.click('button[type=submit]')]);

    const report = computeCost(env.db, env.config, { from: FROM, to: TO });
    const eur = (x: number): string => `${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} EUR`;
    const kpi = page.locator('#kpis [data-figure="investment_per_mailbox"]');
    await expect.poll(() => kpi.textContent(), { timeout: 15_000 }).toBe(eur(report.investment_per_mailbox!));
    expect(await page.locator('#kpis [data-figure="full_per_mailbox_year"]').textContent()).toBe(eur(report.full_per_mailbox_year!));

    // departments, with the unallocated bucket shown
    const deps = await page.locator('#departments tbody tr td:first-child').allTextContents();
    expect(deps).toEqual(['Mathematics', 'Engineering', 'Computer Science', 'unallocated']);
    expect(await page.locator('#allocation').textContent()).toContain('evenly per mailbox');
    expect(await page.locator('#storage-note').textContent()).toContain('GB used on 2026-11-28');

    // every chart drew something
    for (const id of ['items', 'monthly', 'daily', 'storage']) {
      const n = await page.evaluate((cid) => {
        const c = document.getElementById(cid) as HTMLCanvasElement;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let k = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) k++;
        return k;
      }, id);
      expect(n, id).toBeGreaterThan(500);
    }
    const text = await page.evaluate(() => document.body.innerText);
    expect(text).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/); // no addresses
    await page.screenshot({ path: join(artifacts, 'cost.png'), fullPage: true });

    // move the mailbox slider with the keyboard, as a user would: the what-if row follows
    const whatIf = page.locator('#scenarios tr.what-if [data-figure="investment_per_mailbox"]');
    const before = await whatIf.textContent();
    await page.focus('#s-mailboxes');
    await page.keyboard.press('End');
    const want = scenarioFigures(costModel(env.config), report.usage, { name: 'x', mailboxes: 20000, quota_gb: 10, spends: { 'Storage dedicated to mail, backup included': 18000 } });
    await expect.poll(() => whatIf.textContent()).toBe(eur(want.investment_per_mailbox!));
    expect(await whatIf.textContent()).not.toBe(before);
    expect(await page.locator('#o-mailboxes').textContent()).toBe('20,000');
    expect(await page.locator('#scenarios tr.what-if [data-figure="full_per_mailbox_year"]').textContent()).toBe(eur(want.full_per_mailbox_year!));
    // storage as a service: the Ceph figure moves the running cost
    await page.focus('#s-service');
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
    const ceph = scenarioFigures(costModel(env.config), report.usage, { name: 'x', mailboxes: 20000, quota_gb: 10, spends: { 'Storage dedicated to mail, backup included': 18000 }, storage_per_mailbox_year: 0.1 });
    await expect.poll(() => page.locator('#scenarios tr.what-if [data-figure="running_per_mailbox_year"]').textContent()).toBe(eur(ceph.running_per_mailbox_year!));
    await page.screenshot({ path: join(artifacts, 'cost-what-if.png'), fullPage: true });
    await guard.assertClean();
    await page.close();
  }, 60_000);
});
