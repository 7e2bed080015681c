// Browser tests in Debian's chromium (playwright-core): the wall renders and updates live
// without a reload and reconnects after a restart; the overview draws its charts; the trace
// page shows a timeline; a hostile HELO shows as text and runs nothing; the wall's token leaves
// the address bar. Every page fails its test on a console error or a CSP violation
// (test/helpers/page-guard.ts). Screenshots go to test-artifacts/.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { makeEnv, WALL_TOKEN, PASSWORDS, type TestEnv } from '../helpers/env';
import { baseDay, botConnections, NOW_MS, XSS_HELO } from '../helpers/lines';
import { generateToFile } from '../../collectors/generate/index';
import { LiveFeed } from '../../server/http/live';
import { createApp } from '../../server/http/app';
import { buildWeb } from '../../web/build';
import { formatCompact } from '../../web/src/lib/format';
import { guardPage, type PageGuard } from '../helpers/page-guard';
import { trackPageExtent, pageExtent } from '../helpers/browser';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`browser tests skipped: ${CHROMIUM} is missing (apt-get install chromium; .ci/run installs it)`);
const artifacts = join(process.cwd(), 'test-artifacts');

let env: TestEnv;
let browser: Browser;
let server: Server;
let live: LiveFeed;
let base = '';

function listen(port = 0): Promise<Server> {
  const app = createApp({ db: env.db, config: env.config, live, now: () => NOW_MS, log: () => {} });
  return new Promise((ok) => {
    const s = app.listen(port, '127.0.0.1', () => ok(s));
  });
}

/** Every page is guarded: a console error, an exception or a CSP violation fails its test. */
async function open(viewport?: { width: number; height: number }, ignore: RegExp[] = []): Promise<{ page: Page; guard: PageGuard }> {
  const page = await browser.newPage(viewport ? { viewport } : {});
  return { page, guard: guardPage(page, { ignore }) };
}

async function stopServer(): Promise<void> {
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
}

async function login(page: Page, user: keyof typeof PASSWORDS, next: string): Promise<void> {
  await page.goto(`${base}${next}`);
  await page.waitForURL(/\/login\?next=/);
  await page.fill('#username', user);
  await page.fill('#password', PASSWORDS[user]);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
}

describe.skipIf(!haveChromium)('pages in chromium', () => {
  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    await buildWeb();
    env = await makeEnv();
    // four weeks of realistic traffic up to "now" (14:00 on 29 November), then the test lines
    await generateToFile({ start: '2026-11-01', days: 29, scale: 0.002, tz: 'Europe/Rome', seed: 7, outagePlan: 'none', until: Math.floor(NOW_MS / 1000) }, join(env.dir, 'gen.log'));
    await env.pipeline.ingestFile(join(env.dir, 'gen.log'), { year: 2026 });
    await env.ingest(baseDay());
    live = new LiveFeed(env.db, env.config, () => NOW_MS);
    env.pipeline.onCommit = () => live.notify();
    server = await listen();
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    live?.close();
    if (server) await stopServer();
    env?.close();
  });

  it('the wall renders today, fits 1920x1080, updates live and reconnects after a restart', async () => {
    // the server is stopped on purpose below: the stream's failed reconnections are expected
    const { page, guard } = await open({ width: 1920, height: 1080 }, [/ERR_CONNECTION_REFUSED|Failed to load resource/]);
    await trackPageExtent(page);
    await page.goto(`${base}/wall?token=${WALL_TOKEN}`);
    const conn = page.locator('[data-figure="connections"]');
    const expected = (): string => formatCompact(live.snapshot().figures.connections);
    await expect.poll(() => conn.textContent(), { timeout: 10_000 }).toBe(expected());
    await expect.poll(() => page.locator('#status').textContent()).toBe('live');
    expect(await page.locator('[data-figure="delivered"]').textContent()).toBe(formatCompact(live.snapshot().figures.delivered));
    expect(await page.locator('#date').textContent()).toBe('2026-11-29');
    // both charts drew something
    for (const id of ['chart-smtp', 'chart-mail']) {
      const drawn = await page.evaluate((cid) => {
        const c = document.getElementById(cid) as HTMLCanvasElement;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
        return { w: c.width, h: c.height, n };
      }, id);
      expect(drawn.w).toBeGreaterThan(400);
      expect(drawn.h).toBeGreaterThan(200);
      expect(drawn.n).toBeGreaterThan(1000);
    }
    // no scrolling at 1080p at any moment of the load, no personal data
    const extent = await pageExtent(page);
    expect(extent.h).toBeLessThanOrEqual(extent.ih);
    expect(extent.w).toBeLessThanOrEqual(extent.iw);
    const fit = await page.evaluate(() => ({ text: document.body.innerText }));
    expect(fit.text).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/); // no addresses
    expect(fit.text).not.toMatch(/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/); // no client IPs
    await page.screenshot({ path: join(artifacts, 'wall-1920x1080.png') });

    // new lines → new figures, without a reload
    await page.evaluate(() => ((window as unknown as { __sameDocument: number }).__sameDocument = 42));
    const before = live.snapshot().figures.connections;
    await env.ingest(botConnections('13:40', 25, 199));
    await expect.poll(() => conn.textContent(), { timeout: 10_000 }).toBe(formatCompact(before + 25));
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: number }).__sameDocument)).toBe(42);
    await page.screenshot({ path: join(artifacts, 'wall-1920x1080-after-update.png') });

    // server restart: the wall reconnects by itself and shows what came meanwhile
    const port = (server.address() as AddressInfo).port;
    live.close();
    await stopServer();
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 10_000 }).toBe('reconnecting');
    live = new LiveFeed(env.db, env.config, () => NOW_MS);
    env.pipeline.onCommit = () => live.notify();
    await env.ingest(botConnections('13:45', 10, 197));
    server = await listen(port);
    await expect.poll(() => conn.textContent(), { timeout: 15_000 }).toBe(formatCompact(before + 35));
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: number }).__sameDocument)).toBe(42);
    await guard.assertClean();
    await page.close();
  });

  it('the wall also fits a 4K screen', async () => {
    const { page, guard } = await open({ width: 3840, height: 2160 });
    await trackPageExtent(page);
    await page.goto(`${base}/wall?token=${WALL_TOKEN}`);
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 10_000 }).toBe('live');
    // the countries panel and the SLA strip come a fetch later: nothing scrolls before, while
    // they arrive, or after
    await page.waitForSelector('#open-signals:not(:empty)', { timeout: 10_000 });
    await page.waitForSelector('#sla-strip .chip', { timeout: 10_000 });
    const extent = await pageExtent(page);
    expect(extent.h).toBeLessThanOrEqual(extent.ih);
    expect(extent.w).toBeLessThanOrEqual(extent.iw);
    await guard.assertClean();
    await page.close();
  });

  it('the wall removes its token from the address bar once loaded, and still goes live with it', async () => {
    const { page, guard } = await open({ width: 1280, height: 800 });
    await page.goto(`${base}/wall?token=${WALL_TOKEN}`);
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 10_000 }).toBe('live');
    expect(page.url()).toBe(`${base}/wall`);
    expect(await page.evaluate(() => location.href)).not.toContain('token');
    // and after a reload (its kiosk session cookie) the screen still shows the wall
    await page.reload();
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 10_000 }).toBe('live');
    await guard.assertClean();
    await page.close();
  });

  it('the overview draws its charts for a date range', async () => {
    const { page, guard } = await open({ width: 1600, height: 1400 });
    await login(page, 'manager', '/?from=2026-11-01&to=2026-11-29');
    await page.waitForSelector('body[data-loaded="1"]', { timeout: 15_000 });
    expect(await page.locator('#kpis .kpi').count()).toBeGreaterThanOrEqual(8);
    for (const id of ['volumes', 'funnel', 'spamrate', 'rejects', 'logins', 'heatmap']) {
      const w = await page.evaluate((cid) => (document.getElementById(cid) as HTMLCanvasElement).width, id);
      expect(w, id).toBeGreaterThan(100);
    }
    // manager: no trace link in the navigation
    expect(await page.locator('nav [data-nav="trace"]').count()).toBe(0);
    expect(await page.locator('nav [data-nav="sla"]').textContent()).toBe('SLA');
    await page.screenshot({ path: join(artifacts, 'overview.png'), fullPage: true });
    await guard.assertClean();
    await page.close();
  });

  it('the trace page finds a message and shows its timeline across hosts', async () => {
    const { page, guard } = await open({ width: 1600, height: 1200 });
    await login(page, 'operator', '/trace?q=577F6B0922');
    await page.waitForSelector('#results tbody tr');
    await page.click('#results tbody tr');
    await page.waitForSelector('#timeline tbody tr');
    const lines = await page.locator('#timeline tbody tr').allInnerTexts();
    expect(lines.length).toBeGreaterThanOrEqual(10);
    expect(lines.some((l) => l.includes('amavis') && l.includes('Passed CLEAN'))).toBe(true);
    expect(lines.some((l) => l.includes('postfix/lmtp'))).toBe(true);
    const rcpt = await page.locator('#recipients tbody').innerText();
    expect(rcpt).toContain('antonio.testa@unipi.it');
    expect(rcpt).toContain('sent');
    await page.screenshot({ path: join(artifacts, 'trace.png'), fullPage: true });
    // the message card (hidden until a message is picked) breaks no CSP rule
    expect(await page.locator('#trace-card').isVisible()).toBe(true);
    await guard.assertClean();
    await page.close();
  });

  it('a HELO of <script>alert(1)</script> shows as text and runs nothing', async () => {
    const { page, guard } = await open({ width: 1600, height: 1000 });
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await login(page, 'operator', '/trace?q=attacker@evil.example');
    await page.waitForSelector('#rejects tbody tr');
    const text = await page.locator('#rejects').innerText();
    expect(text).toContain(XSS_HELO);
    expect(await page.locator('#rejects script').count()).toBe(0);
    // and in the timeline of a traced message from the same client, if any, nothing runs either
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
    await page.screenshot({ path: join(artifacts, 'trace-hostile-helo.png') });
    await guard.assertClean();
    await page.close();
  });

  it('the login page says why a sign-in failed: a wrong password, or too many failures', async () => {
    const { page, guard } = await open();
    await page.goto(`${base}/login?error=1`);
    expect(await page.locator('#error').innerText()).toBe('Wrong user name or password.');
    await page.goto(`${base}/login?error=throttled&next=%2Ftrace`);
    expect(await page.locator('#error').innerText()).toMatch(/Too many failed sign-ins/);
    expect(await page.locator('#next').inputValue()).toBe('/trace');
    await page.goto(`${base}/login`);
    expect(await page.locator('#error').isVisible()).toBe(false);
    await guard.assertClean();
    await page.close();
  });
});
