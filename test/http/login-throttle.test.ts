// Failed sign-ins are throttled per (address, user name) and per address, over 15 minutes;
// past the limit even the right password waits (429 with Retry-After, or the form's message).
import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import request from 'supertest';
import { makeEnv, PASSWORDS, type TestEnv } from '../helpers/env';
import { NOW_MS } from '../helpers/lines';
import { LoginThrottle, MAX_FAILURES_PER_ADDRESS, MAX_FAILURES_PER_USER, MAX_FAILURES_PER_ACCOUNT, MAX_ACCOUNT_DELAY_MS, WINDOW_MS } from '../../server/http/login-throttle';
import { hashPassword, verifyPassword } from '../../server/http/passwords';

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

describe('per-account throttle', () => {
  it('slows many addresses guessing one account, with a delay that doubles, and not other accounts', () => {
    let t = 5_000_000;
    const th = new LoginThrottle(() => t);
    // one failure from each of many addresses: no address reaches its own limit
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      expect(th.retryAfterS(`198.18.0.${i}`, 'admin')).toBe(0);
      th.failed(`198.18.0.${i}`, 'admin');
    }
    const delays: number[] = [];
    for (let i = 0; i < 12; i++) {
      const wait = th.retryAfterS('198.18.1.1', 'admin');
      delays.push(wait);
      t += wait * 1000;
      expect(th.retryAfterS(`198.18.2.${i}`, 'admin')).toBe(0);
      th.failed(`198.18.2.${i}`, 'admin');
    }
    expect(delays).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, MAX_ACCOUNT_DELAY_MS / 1000, MAX_ACCOUNT_DELAY_MS / 1000]);
    // another account, from one of the same addresses, is not held up
    expect(th.retryAfterS('198.18.2.3', 'operator')).toBe(0);
    // the right password (a success) clears the account's count
    th.succeeded('198.18.3.1', 'admin');
    expect(th.retryAfterS('198.18.3.2', 'admin')).toBe(0);
  });

  it('over HTTP: a distributed guess at one account gets 429 from a fresh address', async () => {
    const env = await makeEnv([], { server: { trusted_proxies: ['loopback'] } });
    const app = env.app(() => NOW_MS);
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      expect((await request(app).post('/login').set('X-Forwarded-For', `192.0.2.${i + 1}`).send({ username: 'admin', password: `guess${i}` })).status).toBe(401);
    }
    const r = await request(app).post('/login').set('X-Forwarded-For', '192.0.2.200').send({ username: 'admin', password: 'guess-again' });
    expect(r.status).toBe(429);
    expect(r.headers['retry-after']).toBe('1');
    env.close();
  });
});

describe('scrypt off the event loop', () => {
  it('verifying a password lets timers and I/O run meanwhile', async () => {
    const hash = hashPassword('correct horse battery');
    let turns = 0;
    let spinning = true;
    const spin = (): void => {
      turns++;
      if (spinning) setImmediate(spin);
    };
    setImmediate(spin);
    const results = await Promise.all([verifyPassword('correct horse battery', hash), verifyPassword('wrong', hash), verifyPassword('x', hash), verifyPassword('y', hash)]);
    spinning = false;
    expect(results).toEqual([true, false, false, false]);
    // a synchronous scrypt would have run all four before the first turn of the loop
    expect(turns).toBeGreaterThan(1);
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
