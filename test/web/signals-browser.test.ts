// The signals page in chromium, on generated data with the planted cases: it lists them,
// acknowledges one with a note and closes another through the real API, opens an account's
// timeline; the overview and the wall show countries with the DB-IP credit. Any console error
// fails the test. Screenshots go to test-artifacts/.
import { haveChromium, launchChromium, listenLoopback, closeServer } from '../helpers/browser';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { plantedRun, PLANTED_START, PLANTED_END, type PlantedRun } from '../helpers/planted';
import { PASSWORDS, WALL_TOKEN } from '../helpers/env';
import { createApp } from '../../server/http/app';
import { buildWeb } from '../../web/build';
import { runDetection } from '../../signals/queries';
import { openGeoIp } from '../../collectors/enrich/geoip';
import { dayBounds } from '../../core/time/local-time';

const artifacts = join(process.cwd(), 'test-artifacts');
const NOW = Date.parse('2026-03-04T20:00:00Z');

let run: PlantedRun;
let browser: Browser;
let server: Server;
let base = '';

async function login(page: Page, user: keyof typeof PASSWORDS, next: string): Promise<void> {
  await page.goto(`${base}${next}`);
  await page.waitForURL(/\/login\?next=/);
  await page.fill('#username', user);
  await page.fill('#password', PASSWORDS[user]);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
}

/** Script errors, console errors, and failed requests (but the favicon and the deliberate 400s of `allowed`). */
function watchErrors(page: Page, allowed: RegExp | null = null): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    // a failed request is logged as such: it is judged by its response below
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
  });
  page.on('response', (r) => {
    const path = new URL(r.url()).pathname;
    if (r.status() >= 400 && path !== '/favicon.ico' && !(allowed && r.status() === 400 && allowed.test(path))) errors.push(`${r.status()} ${path}`);
  });
  return errors;
}

describe.skipIf(!haveChromium)('signals pages in chromium', () => {
  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    await buildWeb();
    run = await plantedRun();
    runDetection(run.db, run.config, openGeoIp(run.config.geoip), dayBounds('Europe/Rome', PLANTED_START)[0], dayBounds('Europe/Rome', PLANTED_END)[1], 1);
    const app = createApp({ db: run.db, config: run.config, now: () => NOW, log: () => {} });
    ({ server, base } = await listenLoopback(app));
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await closeServer(server);
    run?.db.close();
    if (run) rmSync(run.dir, { recursive: true, force: true });
  });

  it('lists the planted signals, acknowledges one with a note, closes one, opens a timeline', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors = watchErrors(page, /^\/api\/signals\/\d+\/state$/);
    await login(page, 'operator', `/signals?from=${PLANTED_START}&to=${PLANTED_END}&state=`);
    await page.waitForSelector('body[data-loaded="1"]');
    const rows = page.locator('table.signals tbody tr');
    expect(await rows.count()).toBe(run.truth.signals.length);
    expect(await page.locator('#credit').textContent()).toBe('IP Geolocation by DB-IP');
    await page.screenshot({ path: join(artifacts, 'signals.png'), fullPage: true });

    // acknowledging needs a note: without one the API says so and nothing changes
    const travel = page.locator('table.signals tbody tr[data-kind="impossible_travel"]');
    await travel.locator('button[data-action="acknowledged"]').click();
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/needs a note/);
    await travel.locator('input').fill('called the user: travelling, VPN');
    await travel.locator('button[data-action="acknowledged"]').click();
    await expect.poll(() => page.locator('table.signals tbody tr[data-kind="impossible_travel"] td').nth(8).textContent()).toContain('acknowledged');
    expect(await page.locator('table.signals tbody tr[data-kind="impossible_travel"] td').nth(8).textContent()).toContain('called the user');
    await page.locator('table.signals tbody tr[data-kind="smtp_auth_bruteforce"] button[data-action="closed"]').click();
    await expect.poll(() => page.locator('table.signals tbody tr[data-kind="smtp_auth_bruteforce"]').getAttribute('class')).toBe('state-closed');
    const stored = run.db.prepare(`SELECT kind, state, note, state_by FROM signals WHERE state != 'open' ORDER BY kind`).all();
    expect(stored).toEqual([
      { kind: 'impossible_travel', state: 'acknowledged', note: 'called the user: travelling, VPN', state_by: 'operator' },
      { kind: 'smtp_auth_bruteforce', state: 'closed', note: null, state_by: 'operator' },
    ]);
    // every read and change was audited
    const audited = run.db.prepare(`SELECT action FROM audit WHERE user = 'operator'`).pluck().all() as string[];
    expect(audited.filter((a) => a === 'signal-state').length).toBe(2);

    // the evidence: the traveller's timeline, in time order, with the login from Brazil
    await Promise.all([page.waitForURL(/\/account\?/), travel.locator('a', { hasText: 'timeline' }).click()]);
    await page.waitForSelector('body[data-loaded="1"]');
    const kinds = await page.locator('table.timeline tbody tr td:nth-child(2)').allTextContents();
    expect(kinds).toContain('login new country');
    expect(kinds).toContain('signal');
    expect(await page.locator('table.timeline tbody tr.ev-login_new_country td:nth-child(5)').first().textContent()).toBe('BR');
    await page.screenshot({ path: join(artifacts, 'account-timeline.png'), fullPage: true });

    // the spammer's timeline links its messages to their traces
    const spammer = run.truth.signals.find((s) => s.kind === 'outbound_burst')!.subject;
    await page.goto(`${base}/account?user=${encodeURIComponent(spammer)}&from=${PLANTED_START}&to=${PLANTED_END}`);
    await page.waitForSelector('body[data-loaded="1"]');
    expect(await page.locator('table.timeline a[href^="/trace?id="]').count()).toBeGreaterThanOrEqual(25);
    expect(await page.locator('table.timeline tr.ev-outbound_spam_blocked').count()).toBeGreaterThanOrEqual(9);

    // the brute-forced account: its failed logins from one address are one row with their count,
    // right before the first success from the new country
    const forced = run.truth.signals.find((s) => s.kind === 'login_bruteforce' && s.subject.includes('@'))!.subject;
    await page.goto(`${base}/account?user=${encodeURIComponent(forced)}&from=${PLANTED_START}&to=${PLANTED_END}`);
    await page.waitForSelector('body[data-loaded="1"]');
    const failed = page.locator('table.timeline tbody tr.ev-login_failed');
    expect(await failed.count()).toBe(1);
    expect(await failed.locator('td:nth-child(3)').textContent()).toMatch(/login failed × 40$/);
    expect(await failed.locator('td:nth-child(1)').textContent()).toMatch(/ – \d\d:\d\d:\d\d$/);
    const order = await page.locator('table.timeline tbody tr').evaluateAll((trs) => trs.map((tr) => `${tr.className} ${tr.children[4]?.textContent ?? ''}`));
    // the run, then (after its signal) the first success from Romania
    expect(order.indexOf('ev-login_new_country RO')).toBe(order.indexOf('ev-login_failed RO') + 2);
    expect(errors).toEqual([]);
  });

  it('the overview shows the country table and chart; the wall the top countries and the open count', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1200 } });
    const errors = watchErrors(page);
    await login(page, 'manager', `/?from=${PLANTED_START}&to=${PLANTED_END}`);
    await page.waitForSelector('body[data-loaded="1"]');
    expect(await page.locator('table.countries tbody tr').count()).toBeGreaterThan(10);
    expect(await page.locator('#geo-credit').textContent()).toMatch(/^IP Geolocation by DB-IP · country database .* of \d{4}-\d{2}-\d{2}$/);
    expect(await page.locator('nav [data-nav="signals"]').count()).toBe(0);
    await page.locator('#countries').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifacts, 'overview-countries.png'), fullPage: true });

    const wall = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const wallErrors = watchErrors(wall);
    await wall.goto(`${base}/wall?token=${WALL_TOKEN}`);
    await expect.poll(() => wall.locator('#open-signals').textContent(), { timeout: 10_000 }).toMatch(/\d+ open signals?/);
    expect(await wall.locator('#geo-credit').textContent()).toBe('IP Geolocation by DB-IP');
    const text = await wall.evaluate(() => document.body.innerText);
    expect(text).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
    expect(text).not.toMatch(/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/);
    await wall.screenshot({ path: join(artifacts, 'wall-countries.png') });
    expect(errors).toEqual([]);
    // the wall's live feed is for "today" (2026-03-04 here), empty countries are fine; no errors either way
    expect(wallErrors.filter((e) => !/EventSource|net::ERR/.test(e))).toEqual([]);
  });
});
