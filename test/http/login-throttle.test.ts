// Failed sign-ins are throttled per (address, user name) and per address, over 15 minutes;
// past the limit even the right password waits (429 with Retry-After, or the form's message).
import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import request from 'supertest';
import { makeEnv, PASSWORDS, type TestEnv } from '../helpers/env';
import { NOW_MS } from '../helpers/lines';
import { LoginThrottle, MAX_FAILURES_PER_ADDRESS, MAX_FAILURES_PER_USER, WINDOW_MS } from '../../server/http/login-throttle';

describe('LoginThrottle', () => {
  it('lets a name fail MAX_FAILURES_PER_USER times, then makes it wait until the oldest failure ages out', () => {
    let t = 1_000_000;
    const th = new LoginThrottle(() => t);
    for (let i = 0; i < MAX_FAILURES_PER_USER; i++) {
      expect(th.retryAfterS('192.0.2.1', 'admin')).toBe(0);
      th.failed('192.0.2.1', 'admin');
      t += 1000;
    }
    // the first failure was 5 s ago: it leaves the window in 15 min - 5 s
    expect(th.retryAfterS('192.0.2.1', 'admin')).toBe(WINDOW_MS / 1000 - 5);
    // another name, or another address, is not held up
    expect(th.retryAfterS('192.0.2.1', 'operator')).toBe(0);
    expect(th.retryAfterS('192.0.2.2', 'admin')).toBe(0);
    t += WINDOW_MS - 5000;
    expect(th.retryAfterS('192.0.2.1', 'admin')).toBe(0);
  });

  it('counts a very long name by itself: names that differ only at their end are not mixed up', () => {
    const th = new LoginThrottle(() => 0);
    const long = 'x'.repeat(10_000);
    for (let i = 0; i < MAX_FAILURES_PER_USER; i++) th.failed('192.0.2.9', `${long}a`);
    expect(th.retryAfterS('192.0.2.9', `${long}a`)).toBeGreaterThan(0);
    expect(th.retryAfterS('192.0.2.9', `${long}b`)).toBe(0);
  });

  it('holds an address that tries many names, and a success clears only its own name', () => {
    let t = 0;
    const th = new LoginThrottle(() => t);
    th.failed('198.51.100.7', 'manager');
    th.succeeded('198.51.100.7', 'manager');
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS - 1; i++) th.failed('198.51.100.7', `user${i}`);
    expect(th.retryAfterS('198.51.100.7', 'someone-else')).toBeGreaterThan(0);
    expect(th.retryAfterS('198.51.100.8', 'someone-else')).toBe(0);
    t += WINDOW_MS;
    expect(th.retryAfterS('198.51.100.7', 'someone-else')).toBe(0);
  });
});

describe('POST /login throttling', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await makeEnv([]);
  });
  afterAll(() => env.close());

  it('answers 429 with Retry-After after too many wrong passwords, even to the right one, and forgets after the window', async () => {
    let now = NOW_MS;
    const app = env.app(() => now);
    for (let i = 0; i < MAX_FAILURES_PER_USER; i++) {
      expect((await request(app).post('/login').send({ username: 'admin', password: `guess${i}` })).status).toBe(401);
    }
    const held = await request(app).post('/login').send({ username: 'admin', password: PASSWORDS.admin });
    expect(held.status).toBe(429);
    expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
    expect(held.body.error).toMatch(/too many failed sign-ins/);
    // the form goes back to the login page with its own message
    const form = await request(app).post('/login').type('form').send({ username: 'admin', password: PASSWORDS.admin, next: '/trace' });
    expect(form.status).toBe(303);
    expect(form.headers.location).toBe('/login?error=throttled&next=%2Ftrace');
    // other users are not held up
    expect((await request(app).post('/login').send({ username: 'operator', password: PASSWORDS.operator })).status).toBe(200);
    now += WINDOW_MS;
    expect((await request(app).post('/login').send({ username: 'admin', password: PASSWORDS.admin })).status).toBe(200);
  });

  it('counts clients behind a trusted proxy by X-Forwarded-For, and ignores that header otherwise', async () => {
    const fail = (app: ReturnType<TestEnv['app']>, client: string) =>
      request(app).post('/login').set('X-Forwarded-For', client).send({ username: 'admin', password: 'wrong' });
    // not trusted: the header is anyone's to write, so every try counts against the one address
    const direct = env.app(() => NOW_MS);
    for (let i = 0; i < MAX_FAILURES_PER_USER; i++) await fail(direct, `203.0.113.${i}`);
    expect((await fail(direct, '203.0.113.99')).status).toBe(429);
    // trusted (the test client is the proxy, on loopback): each client has its own count
    const proxied = await makeEnv([], { server: { trusted_proxies: ['loopback'] } });
    const behind = proxied.app(() => NOW_MS);
    for (let i = 0; i < MAX_FAILURES_PER_USER; i++) await fail(behind, '203.0.113.7');
    expect((await fail(behind, '203.0.113.7')).status).toBe(429);
    expect((await fail(behind, '203.0.113.8')).status).toBe(401);
    // and the audit trail records the client, not the proxy
    const operator = request.agent(behind);
    expect((await operator.post('/login').set('X-Forwarded-For', '203.0.113.20').send({ username: 'operator', password: PASSWORDS.operator })).status).toBe(200);
    expect((await operator.get('/api/search?q=203.0.113.66').set('X-Forwarded-For', '203.0.113.21')).status).toBe(200);
    expect(proxied.db.prepare(`SELECT client_ip FROM audit ORDER BY id DESC LIMIT 1`).pluck().get()).toBe('203.0.113.21');
    proxied.close();
  });
});
