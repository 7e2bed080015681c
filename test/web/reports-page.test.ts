// The reports page in Debian's chromium: a manager generates November's report on demand, sees
// it listed with its download link, and the PDF link answers a PDF. Fails on console errors
// (a CSP violation is one). Screenshot in test-artifacts/reports.png.
import { haveChromium, launchChromium, listenLoopback, closeServer } from '../helpers/browser';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { type Browser } from 'playwright-core';
import { makeEnv, PASSWORDS, type TestEnv } from '../helpers/env';
import { baseDay, NOW_MS } from '../helpers/lines';
import { createApp } from '../../server/http/app';
import { buildWeb } from '../../web/build';

const artifacts = join(process.cwd(), 'test-artifacts');

let env: TestEnv;
let browser: Browser;
let server: Server;
let base = '';

describe.skipIf(!haveChromium)('reports page in chromium', () => {
  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    await buildWeb();
    env = await makeEnv(baseDay());
    env.config.reports.folder = join(env.dir, 'reports');
    const app = createApp({ db: env.db, config: env.config, now: () => NOW_MS, log: () => {} });
    ({ server, base } = await listenLoopback(app));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await closeServer(server);
    env?.close();
  });

  it('generates a report on demand and lists it for download', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // a failed resource load is a console error too: the one expected is the 400 of the
    // month not started yet, and chromium's own /favicon.ico request (postino serves none)
    const failed: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${new URL(r.url()).pathname}`);
    });
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
    });
    await page.goto(`${base}/reports`);
    await page.waitForURL(/\/login\?next=/);
    await page.fill('#username', 'manager');
    await page.fill('#password', PASSWORDS.manager);
    await Promise.all([page.waitForURL((u) => u.pathname === '/reports'), page.click('button[type=submit]')]);
    await expect.poll(() => page.locator('#schedule').textContent()).toContain('0 6 1 * *');
    expect(await page.locator('#empty').isVisible()).toBe(true);
    expect(await page.locator('nav [data-nav="reports"]').textContent()).toBe('Reports');
    await page.fill('#month', '2026-11');
    await page.click('#go');
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 30_000 }).toBe('Report 2026-11 ready.');
    const row = page.locator('#reports tbody tr');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator('td').first().textContent()).toBe('2026-11');
    const href = await row.locator('a').first().getAttribute('href');
    expect(href).toBe('/api/reports/2026-11.pdf?lang=it');
    const pdf = await page.request.get(`${base}${href}`);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    // a month not started yet: the server's message, shown as text
    await page.fill('#month', '2027-01');
    await page.click('#go');
    await expect.poll(() => page.locator('#status').textContent()).toBe('month 2027-01 has not started yet');
    await page.screenshot({ path: join(artifacts, 'reports.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(failed.filter((f) => f !== '404 /favicon.ico')).toEqual(['400 /api/reports']);
  }, 60_000);
});
