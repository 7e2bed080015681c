// Browser tests of availability in Debian's chromium (playwright-core): the SLA page renders
// its tables, gauge, incidents with their timeline and (for an operator) the evidence lines as
// text; the wall shows the open incident, and its chart text follows the screen (1080p, 4K).
// Any console error or page error fails a test. Screenshots go to test-artifacts/.
import { haveChromium, launchChromium, listenLoopback, closeServer, trackPageExtent, pageExtent } from '../helpers/browser';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { makeEnv, WALL_TOKEN, PASSWORDS, type TestEnv } from '../helpers/env';
import { baseDay, NOW_MS } from '../helpers/lines';
import { openMailboxOutage, OPEN_OUTAGE_DEFERRAL } from '../helpers/sla-lines';
import { LiveFeed } from '../../server/http/live';
import { createApp } from '../../server/http/app';
import { buildWeb } from '../../web/build';

const artifacts = join(process.cwd(), 'test-artifacts');

let env: TestEnv;
let browser: Browser;
let server: Server;
let live: LiveFeed;
let base = '';

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${m.text()} ${m.location().url}`);
  });
  return errors;
}

async function login(page: Page, user: keyof typeof PASSWORDS, next: string): Promise<void> {
  await page.goto(`${base}${next}`);
  await page.waitForURL(/\/login\?next=/);
  await page.fill('#username', user);
  await page.fill('#password', PASSWORDS[user]);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
}

describe.skipIf(!haveChromium)('availability in chromium', () => {
  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    await buildWeb();
    // mbox1's Dovecot killed at 13:50 and not back by "now" (14:00 on 29 November)
    env = await makeEnv([...baseDay(), ...openMailboxOutage()].sort((a, b) => a.slice(0, 15).localeCompare(b.slice(0, 15))));
    live = new LiveFeed(env.db, env.config, () => NOW_MS);
    const app = createApp({ db: env.db, config: env.config, live, now: () => NOW_MS, log: () => {} });
    ({ server, base } = await listenLoopback(app));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    live?.close();
    await closeServer(server);
    env?.close();
  });

  it('the SLA page shows services against the target, the budget gauge, the open incident and the roles', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1400 } });
    const errors = watchErrors(page);
    await login(page, 'manager', '/sla?from=2026-11-29&to=2026-11-29');
    await page.waitForSelector('body[data-loaded="true"]', { timeout: 15_000 });
    const services = await page.locator('#services tbody tr').allInnerTexts();
    expect(services).toHaveLength(7);
    expect(services.find((r) => r.startsWith('mailbox'))).toMatch(/missed/);
    expect(services.find((r) => r.startsWith('smtp-in'))).toMatch(/\t100\t/);
    const incident = page.locator('li.incident[data-service="mailbox"]');
    expect(await incident.getAttribute('data-open')).toBe('true');
    expect(await incident.innerText()).toMatch(/open[\s\S]*mbox1\.unipi\.it went down \(daemon-stop\)/);
    // the gauge drew
    const drawn = await page.evaluate(() => {
      const c = document.getElementById('budget-gauge') as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
      return n;
    });
    expect(drawn).toBeGreaterThan(500);
    expect(await page.locator('#gauge-label').innerText()).toMatch(/^mailbox, this calendar month/);
    expect(await page.locator('#roles tbody').innerText()).toMatch(/mx3\.unipi\.it\t.*mx.*learned/);
    expect(await page.locator('#burn tbody').innerText()).toMatch(/mailbox.*PAGE/);
    // managers get no evidence lines, and no option to ask for them
    expect(await page.locator('#evidence-label').isVisible()).toBe(false);
    expect(await page.locator('body').innerText()).not.toContain('antonio.testa');
    expect(await page.locator('#csv-incidents').getAttribute('href')).toBe('/api/sla.csv?from=2026-11-29&to=2026-11-29&table=incidents');
    await page.screenshot({ path: join(artifacts, 'sla.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('an operator sees the evidence lines, as text', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1400 } });
    const errors = watchErrors(page);
    await login(page, 'operator', '/sla?from=2026-11-29&to=2026-11-29');
    await page.waitForSelector('body[data-loaded="true"]');
    await page.check('#evidence');
    await page.waitForSelector('pre.evidence');
    expect(await page.locator('pre.evidence').first().innerText()).toContain('Killed with signal 15');
    expect(await page.locator('li.incident[data-service="mailbox"]').innerText()).toContain(OPEN_OUTAGE_DEFERRAL);
    await page.screenshot({ path: join(artifacts, 'sla-evidence.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  for (const [w, h, font] of [
    [1920, 1080, 22],
    [3840, 2160, 43],
  ] as const) {
    it(`the wall at ${w}x${h} shows the open incident, fits the screen, and its chart text is ${font} px`, async () => {
      const page = await browser.newPage({ viewport: { width: w, height: h } });
      const errors = watchErrors(page);
      await trackPageExtent(page);
      await page.goto(`${base}/wall?token=${WALL_TOKEN}`);
      await expect.poll(() => page.locator('[data-figure="incidents"]').textContent(), { timeout: 10_000 }).toBe('1');
      expect(await page.locator('[data-sub="incidents"]').textContent()).toBe('mailbox since 13:50 (mbox1.unipi.it)');
      expect(await page.locator('.chip[data-service="mailbox"]').getAttribute('data-state')).toBe('degraded');
      expect(await page.locator('.chip[data-service="smtp-in"]').getAttribute('data-state')).toBe('up');
      expect(await page.locator('[data-sub="availability"]').textContent()).toMatch(/error budget overspent: [\d.]+ s of 25\.9 s this month \(mailbox\)/);
      await expect.poll(() => page.evaluate(() => document.body.dataset.chartFont)).toBe(String(font));
      // the SLA strip arrives after the charts are sized: the wall never grew past the screen
      const extent = await pageExtent(page);
      expect(extent.h).toBeLessThanOrEqual(extent.ih);
      const fit = await page.evaluate(() => ({ text: document.body.innerText }));
      expect(fit.text).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
      await page.screenshot({ path: join(artifacts, `wall-sla-${w}x${h}.png`) });
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});
