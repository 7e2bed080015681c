// Every response with personal data is audited first, audit rows have their own retention; a
// read never writes rollups (days after tomorrow are 400); HTTPS through a trusted proxy gets a
// Secure cookie and HSTS; logged URLs carry no token or search term.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { makeEnv, loginAs, WALL_TOKEN, PASSWORDS, type TestEnv } from '../helpers/env';
import { baseDay, DATE, NOW_MS } from '../helpers/lines';
import { jobs } from '../../server/scheduler/scheduler';
import { createApp } from '../../server/http/app';
import { redactUrl } from '../../server/http/redact';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv(baseDay());
});
afterAll(() => env.close());

const count = (sql: string, ...args: unknown[]): number => (env.db.prepare(`SELECT count(*) AS n FROM ${sql}`).get(...args) as { n: number }).n;

describe('audit', () => {
  it('writes a row before every response with personal data, and none for the aggregates', async () => {
    const app = env.app();
    const operator = await loginAs(app, 'operator');
    const manager = await loginAs(app, 'manager');
    const cases: Array<[string, string]> = [
      [`/api/rejects?from=${DATE}&to=${DATE}&detail=1`, 'rejects'],
      [`/api/logins?from=${DATE}&to=${DATE}&detail=1`, 'logins'],
      [`/api/logins?from=${DATE}&to=${DATE}&user=mario.rossi`, 'logins'],
      ['/api/health', 'health'],
    ];
    for (const [path, action] of cases) {
      const before = count(`audit WHERE action = ? AND user = 'operator'`, action);
      const r = await operator.get(path);
      expect(r.status, path).toBe(200);
      expect(count(`audit WHERE action = ? AND user = 'operator'`, action), path).toBe(before + 1);
    }
    const last = env.db.prepare(`SELECT user, role, action, query, client_ip FROM audit ORDER BY id DESC LIMIT 1`).get() as Record<string, string>;
    expect(last).toMatchObject({ user: 'operator', role: 'operator', action: 'health' });
    // the samples are what makes /api/health personal: a manager gets none, and no audit row
    const all = count('audit');
    for (const path of ['/api/health', `/api/rejects?from=${DATE}&to=${DATE}`, `/api/logins?from=${DATE}&to=${DATE}`]) {
      const r = await manager.get(path);
      expect(r.status, path).toBe(200);
      expect(JSON.stringify(r.body), path).not.toMatch(/"sample"|"rows"|"users"/);
    }
    expect(count('audit')).toBe(all);
  });

  it('the retention job purges audit rows older than access.audit_retention_days (400 by default)', async () => {
    expect(env.config.access.audit_retention_days).toBe(400);
    const nowS = Math.floor(NOW_MS / 1000);
    const ins = env.db.prepare(`INSERT INTO audit (at, user, role, action, query, client_ip) VALUES (?, 'old', 'operator', 'search', '{}', NULL)`);
    ins.run(nowS - 401 * 86400);
    ins.run(nowS - 399 * 86400);
    const retention = jobs({ db: env.db, config: env.config, now: () => NOW_MS, log: () => {} }).find((j) => j.name === 'retention')!;
    await retention.run();
    expect(count(`audit WHERE user = 'old'`)).toBe(1);
    expect(count(`audit WHERE user = 'old' AND at = ?`, nowS - 399 * 86400)).toBe(1);
    // configurable
    const short = { ...env.config, access: { ...env.config.access, audit_retention_days: 30 } };
    await jobs({ db: env.db, config: short, now: () => NOW_MS, log: () => {} }).find((j) => j.name === 'retention')!.run();
    expect(count(`audit WHERE user = 'old'`)).toBe(0);
  });
});

describe('a read never writes', () => {
  const rollupRows = (): number => count('rollup_day') + count('rollup_hour');

  it('refuses days after tomorrow with a 400 and writes nothing (the far-future summary)', async () => {
    const app = env.app();
    const before = rollupRows();
    const far = await request(app).get('/api/summary?from=3000-01-01&to=3001-02-04').set('Authorization', `Bearer ${WALL_TOKEN}`);
    console.log(`far-future summary as wall: status ${far.status}, rollup rows written ${rollupRows() - before}`);
    expect(far.status).toBe(400);
    expect(far.body.error).toMatch(/from: 3000-01-01 is in the future/);
    const tomorrow = await request(app).get('/api/summary?from=2026-11-30&to=2026-11-30').set('Authorization', `Bearer ${WALL_TOKEN}`);
    expect(tomorrow.status).toBe(200);
    expect((await request(app).get('/api/hourly?date=2026-12-01').set('Authorization', `Bearer ${WALL_TOKEN}`)).status).toBe(400);
    expect(rollupRows()).toBe(before);
  });

  it('no GET creates rollup rows, even for days that were never rolled up', async () => {
    const app = env.app();
    const admin = await loginAs(app, 'admin');
    const before = rollupRows();
    const paths = [
      '/api/summary?from=2025-11-01&to=2026-11-29',
      '/api/summary',
      '/api/funnel?from=2025-11-01&to=2026-11-29',
      '/api/heatmap?from=2025-11-01&to=2026-11-29',
      '/api/hourly?date=2025-12-25',
      '/api/rejects?from=2025-11-01&to=2026-11-29&detail=1',
      '/api/logins?from=2025-11-01&to=2026-11-29&detail=1',
      '/api/health',
      '/metrics',
      '/api/me',
      '/api/sessions',
    ];
    for (const p of paths) expect((await admin.get(p)).status, p).toBe(200);
    expect(rollupRows()).toBe(before);
  });
});

describe('transport', () => {
  it('behind a trusted proxy, X-Forwarded-Proto: https makes the cookie Secure and sends HSTS', async () => {
    const trusted = createApp({ db: env.db, config: { ...env.config, server: { ...env.config.server, trusted_proxies: ['loopback'] } }, now: () => NOW_MS, log: () => {} });
    const https = await request(trusted).post('/login').set('X-Forwarded-Proto', 'https').send({ username: 'manager', password: PASSWORDS.manager });
    expect(https.status).toBe(200);
    expect(String(https.headers['set-cookie'])).toMatch(/; Secure/);
    expect(https.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    const plain = await request(trusted).post('/login').send({ username: 'manager', password: PASSWORDS.manager });
    expect(String(plain.headers['set-cookie'])).not.toMatch(/Secure/);
    expect(plain.headers['strict-transport-security']).toBeUndefined();
  });

  it('ignores X-Forwarded-Proto from a client that is not a trusted proxy', async () => {
    const r = await request(env.app()).post('/login').set('X-Forwarded-Proto', 'https').send({ username: 'manager', password: PASSWORDS.manager });
    expect(r.status).toBe(200);
    expect(String(r.headers['set-cookie'])).not.toMatch(/Secure/);
    expect(r.headers['strict-transport-security']).toBeUndefined();
  });
});

describe('logged URLs', () => {
  it('redact token= and q= (any case, encoded names too), and keep the rest', () => {
    expect(redactUrl('/wall?token=abc&x=1')).toBe('/wall?token=REDACTED&x=1');
    expect(redactUrl('/api/search?from=2026-11-01&q=mario%40unipi.it&page=2')).toBe('/api/search?from=2026-11-01&q=REDACTED&page=2');
    expect(redactUrl('/api/search?Q=x&%74oken=y')).toBe('/api/search?Q=REDACTED&%74oken=REDACTED');
    expect(redactUrl('/api/live')).toBe('/api/live');
  });

  it('an unexpected error logs its URL without the search term or the wall token', async () => {
    const logged: string[] = [];
    const app = createApp({ db: env.db, config: env.config, now: () => NOW_MS, log: (m) => logged.push(m) });
    const op = await loginAs(app, 'operator');
    // a statement that cannot run: the search fails inside, as a real fault would
    const prepare = env.db.prepare.bind(env.db);
    env.db.prepare = ((sql: string) => {
      if (sql.includes('FROM messages m WHERE m.id IN')) throw new Error('disk I/O error');
      return prepare(sql);
    }) as typeof env.db.prepare;
    try {
      const r = await op.get(`/api/search?q=antonio.testa@unipi.it&token=${WALL_TOKEN}`);
      expect(r.status).toBe(500);
    } finally {
      env.db.prepare = prepare;
    }
    expect(logged.length).toBe(1);
    expect(logged[0]).toContain('/api/search?q=REDACTED&token=REDACTED');
    expect(logged[0]).not.toContain('antonio.testa');
    expect(logged[0]).not.toContain(WALL_TOKEN);
  });
});
