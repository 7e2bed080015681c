// supertest over createApp: shapes, status codes, role checks, bad parameters.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { makeEnv, loginAs, WALL_TOKEN, PASSWORDS, type TestEnv } from '../helpers/env';
import { baseDay, DATE, XSS_HELO } from '../helpers/lines';
import type { App } from '../../server/http/app';

let env: TestEnv;
let app: App;
type Agent = Awaited<ReturnType<typeof loginAs>>;
let admin: Agent, operator: Agent, manager: Agent;

beforeAll(async () => {
  env = await makeEnv(baseDay());
  app = env.app();
  [admin, operator, manager] = await Promise.all([loginAs(app, 'admin'), loginAs(app, 'operator'), loginAs(app, 'manager')]);
});
afterAll(() => env.close());

const aggregateRoutes = [`/api/summary?from=${DATE}&to=${DATE}`, `/api/hourly?date=${DATE}`, `/api/funnel?from=${DATE}&to=${DATE}`, `/api/heatmap?from=${DATE}&to=${DATE}`, '/metrics', '/api/me'];
const managerRoutes = [`/api/rejects?from=${DATE}&to=${DATE}`, `/api/logins?from=${DATE}&to=${DATE}`, '/api/health'];
const operatorRoutes = [`/api/search?q=antonio.testa@unipi.it`, '/api/trace/1'];
const adminRoutes = ['/api/audit'];

describe('authentication', () => {
  it('answers 401 JSON to every API route without a session', async () => {
    for (const path of [...aggregateRoutes, ...managerRoutes, ...operatorRoutes, ...adminRoutes, '/api/live']) {
      const r = await request(app).get(path);
      expect(r.status, path).toBe(401);
      expect(r.body.error, path).toMatch(/authentication required/);
    }
  });

  it('redirects pages to the login page', async () => {
    for (const path of ['/', '/wall', '/trace', '/sla', '/cost', '/reports']) {
      const r = await request(app).get(path).set('Accept', 'text/html');
      expect(r.status, path).toBe(302);
      expect(r.headers.location).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
    const login = await request(app).get('/login');
    expect(login.status).toBe(200);
    expect(login.text).toContain('<form method="post" action="/login">');
  });

  it('sets an httpOnly SameSite=Strict session cookie on login and clears it on logout', async () => {
    const r = await request(app).post('/login').send({ username: 'manager', password: PASSWORDS.manager });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ user: 'manager', role: 'manager' });
    const cookie = String(r.headers['set-cookie']);
    expect(cookie).toMatch(/^postino_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    const sid = cookie.split(';')[0]!;
    expect((await request(app).get('/api/me').set('Cookie', sid)).status).toBe(200);
    await request(app).post('/logout').set('Cookie', sid).send({});
    expect((await request(app).get('/api/me').set('Cookie', sid)).status).toBe(401);
  });

  it('rejects a wrong password (JSON 401, form back to the login page) and unknown users alike', async () => {
    expect((await request(app).post('/login').send({ username: 'admin', password: 'nope' })).status).toBe(401);
    expect((await request(app).post('/login').send({ username: 'ghost', password: 'nope' })).status).toBe(401);
    const form = await request(app).post('/login').type('form').send({ username: 'admin', password: 'nope', next: '/trace' });
    expect(form.status).toBe(303);
    expect(form.headers.location).toBe('/login?error=1&next=%2Ftrace');
    expect((await request(app).post('/login').send({})).status).toBe(400);
  });

  it('follows only local next= targets after a form login', async () => {
    const ok = await request(app).post('/login').type('form').send({ username: 'operator', password: PASSWORDS.operator, next: '/trace?q=x' });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/trace?q=x');
    const evil = await request(app).post('/login').type('form').send({ username: 'operator', password: PASSWORDS.operator, next: '//evil.example/' });
    expect(evil.headers.location).toBe('/');
  });

  it('a wall token in the /wall URL opens the wall and sets a wall session', async () => {
    const r = await request(app).get(`/wall?token=${WALL_TOKEN}`);
    expect(r.status).toBe(200);
    expect(r.text).toContain('data-figure="connections"');
    const sid = String(r.headers['set-cookie']).split(';')[0]!;
    expect((await request(app).get('/api/me').set('Cookie', sid)).body).toEqual({ user: 'wall', role: 'wall' });
    expect((await request(app).get('/wall?token=wrong-token-0000000000')).status).toBe(302);
  });
});

describe('roles', () => {
  const bearer = (path: string) => request(app).get(path).set('Authorization', `Bearer ${WALL_TOKEN}`);

  it('the wall token reaches aggregates only', async () => {
    for (const path of aggregateRoutes) expect((await bearer(path)).status, path).toBe(200);
    for (const path of [...managerRoutes, ...operatorRoutes, ...adminRoutes]) expect((await bearer(path)).status, path).toBe(403);
    expect((await request(app).get('/api/summary').set('Authorization', 'Bearer not-a-token')).status).toBe(401);
  });

  it('a wall user logged in with a password is still only wall', async () => {
    const wall = await loginAs(app, 'wallie');
    expect((await wall.get('/api/summary')).status).toBe(200);
    expect((await wall.get('/api/search?q=antonio.testa@unipi.it')).status).toBe(403);
    expect((await wall.get('/')).status).toBe(403);
  });

  it('a manager gets aggregates but no personal data', async () => {
    for (const path of [...aggregateRoutes, ...managerRoutes]) expect((await manager.get(path)).status, path).toBe(200);
    for (const path of [...operatorRoutes, ...adminRoutes]) expect((await manager.get(path)).status, path).toBe(403);
    expect((await manager.get(`/api/logins?from=${DATE}&to=${DATE}&detail=1`)).status).toBe(403);
    expect((await manager.get(`/api/logins?from=${DATE}&to=${DATE}&user=admin@unipi.it`)).status).toBe(403);
    expect((await manager.get(`/api/rejects?from=${DATE}&to=${DATE}&detail=1`)).status).toBe(403);
    const rej = await manager.get(`/api/rejects?from=${DATE}&to=${DATE}`);
    expect(JSON.stringify(rej.body)).not.toContain('evil.example');
    expect(rej.body.rows).toBeUndefined();
    expect((await manager.get('/trace')).status).toBe(403);
    expect((await manager.get('/')).status).toBe(200);
  });

  it('an operator reaches personal data but not the audit', async () => {
    for (const path of [...aggregateRoutes, ...managerRoutes, ...operatorRoutes]) expect((await operator.get(path)).status, path).toBe(200);
    expect((await operator.get('/api/audit')).status).toBe(403);
    expect((await operator.get('/trace')).status).toBe(200);
  });

  it('every operator search and trace is audited, and only admins read the audit', async () => {
    await operator.get('/api/search?q=203.0.113.66');
    await operator.get('/api/trace/1');
    const a = await admin.get('/api/audit?from=2026-11-01&to=2026-11-30');
    expect(a.status).toBe(200);
    const mine = a.body.rows.filter((r: { user: string }) => r.user === 'operator');
    expect(mine.map((r: { action: string }) => r.action)).toEqual(expect.arrayContaining(['search', 'trace']));
    const s = mine.find((r: { action: string; query: { q?: string } }) => r.action === 'search' && r.query.q === '203.0.113.66');
    expect(s).toMatchObject({ role: 'operator', query: { q: '203.0.113.66' } });
    expect(typeof s.at).toBe('number');
    // only the personal-data reads (test/access/audit-and-reads.test.ts covers the others)
    expect(a.body.rows.every((r: { action: string }) => ['search', 'trace', 'rejects', 'logins', 'health', 'sessions'].includes(r.action))).toBe(true);
  });
});

describe('aggregate API shapes', () => {
  it('/api/summary: daily figures of METRICS.md with rates and totals', async () => {
    const r = await manager.get(`/api/summary?from=2026-11-28&to=${DATE}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ from: '2026-11-28', to: DATE, tz: 'Europe/Rome' });
    expect(r.body.days.map((d: { date: string }) => d.date)).toEqual(['2026-11-28', DATE]);
    const d = r.body.days[1];
    expect(d).toMatchObject({ connections: 7, connections_passed: 2, received: 1, clean: 1, delivered: 1, delivered_recipients: 1, rejected: 2, greylisted: 1, imap_logins: 1, login_failures: 1, sasl_auth_failures: 1, unique_users: 1 });
    expect(d.spam_rate).toBe(0);
    expect(d.pre_queue_block_rate).toBeCloseTo(5 / 7);
    expect(r.body.totals.connections).toBe(7);
  });

  it('/api/summary defaults to the last 30 days up to today', async () => {
    const r = await manager.get('/api/summary');
    expect(r.body.days).toHaveLength(30);
    expect(r.body.to).toBe(DATE);
  });

  it('/api/hourly: one row per hour of the local day', async () => {
    const r = await manager.get(`/api/hourly?date=${DATE}`);
    expect(r.body.hours).toHaveLength(24);
    const sum = r.body.hours.reduce((s: number, h: { connections: number }) => s + h.connections, 0);
    expect(sum).toBe(7);
    expect(r.body.hours[0].hour).toBe(Date.UTC(2026, 10, 28, 23) / 1000);
    // 03:47 Rome is the 02:00 UTC bucket → index 3 of the local day
    expect(r.body.hours[3].delivered).toBe(1);
  });

  it('/api/funnel: connections → passed → received → clean+tagged → delivered', async () => {
    const r = await manager.get(`/api/funnel?from=${DATE}&to=${DATE}`);
    expect(r.body.steps.map((s: { step: string; n: number }) => [s.step, s.n])).toEqual([
      ['connections', 7],
      ['connections_passed', 2],
      ['received', 1],
      ['clean_or_tagged', 1],
      ['delivered', 1],
    ]);
  });

  it('/api/rejects: by reason class and reply code; rows with addresses for operators', async () => {
    const r = await operator.get(`/api/rejects?from=${DATE}&to=${DATE}&detail=1`);
    expect(r.body.by_class.reduce((s: number, c: { n: number }) => s + c.n, 0)).toBe(2);
    expect(r.body.by_code.map((c: { code: number }) => c.code).sort()).toEqual([451, 504]);
    // The HELO text reaches the API verbatim (the parser keeps it in the reply; see the report on `helo=`).
    const row = r.body.rows.find((x: { reply: string }) => x.reply.includes(XSS_HELO));
    expect(row).toMatchObject({ client_ip: '203.0.113.66', sender: 'attacker@evil.example', code: 504 });
  });

  it('/api/logins: per protocol; per user for operators', async () => {
    const m = await manager.get(`/api/logins?from=${DATE}&to=${DATE}`);
    expect(m.body.totals).toEqual(expect.arrayContaining([{ protocol: 'imap', logins: 1, failures: 0 }, { protocol: 'pop3', logins: 0, failures: 1 }]));
    expect(m.body.sasl_auth_failures).toBe(1);
    expect(m.body.users).toBeUndefined();
    const o = await operator.get(`/api/logins?from=${DATE}&to=${DATE}&user=alessandro.grassi@ec.unipi.it`);
    expect(o.body.users).toHaveLength(1);
    expect(o.body.users[0]).toMatchObject({ protocol: 'imap', success: 1, rip: '188.6.17.148' });
    // a login name in another case is the same user (lower() index, migration 0005)
    const upper = await operator.get(`/api/logins?from=${DATE}&to=${DATE}&user=Alessandro.Grassi@EC.UNIPI.IT`);
    expect(upper.body.users).toEqual(o.body.users);
  });

  it('/api/heatmap: 24 hours per local day', async () => {
    const r = await manager.get(`/api/heatmap?from=${DATE}&to=${DATE}`);
    expect(r.body.days).toHaveLength(1);
    expect(r.body.days[0].hours).toHaveLength(24);
    expect(r.body.days[0].hours[1]).toBe(5);
  });

  it('/api/health: checkpoints, lag, unparsed (samples for operators only)', async () => {
    await env.ingest(['Nov 29 09:00:00 mx1.unipi.it postfix/frobnicator[1]: a brand new shape of line']);
    const m = await manager.get('/api/health');
    expect(m.body.sources).toHaveLength(1);
    expect(m.body.sources[0]).toMatchObject({ kind: 'file', path: env.logPath });
    expect(m.body.sources[0].offset_bytes).toBeGreaterThan(0);
    expect(m.body.ingest_lag_s).toBeGreaterThan(0);
    expect(m.body.unparsed.length).toBeGreaterThan(0);
    expect(m.body.unparsed[0].sample).toBeUndefined();
    const o = await operator.get('/api/health');
    expect(typeof o.body.unparsed[0].sample).toBe('string');
  });

  it('/metrics: Prometheus text with the daily figures and ingest health', async () => {
    const r = await request(app).get('/metrics').set('Authorization', `Bearer ${WALL_TOKEN}`);
    expect(r.headers['content-type']).toMatch(/text\/plain/);
    expect(r.text).toContain('postino_daily_figure{figure="connections",day="today"} 7');
    expect(r.text).toContain('postino_daily_figure{figure="delivered",day="today"} 1');
    expect(r.text).toMatch(/postino_ingest_lag_seconds \d+/);
    expect(r.text).toMatch(/postino_source_offset_bytes\{path=".*mail\.log"\} \d+/);
  });
});

describe('search and trace', () => {
  it('finds a message by recipient (any case), sender, queue id, Message-ID with or without <>, client IP', async () => {
    for (const q of ['Antonio.Testa@unipi.it', 'l.tbfdyi@outlook.com', '577F6B0922', '57A4B0FDB3', '<TP8T3T.d4Vpz6nEOsfd@outlook.com>', 'TP8T3T.d4Vpz6nEOsfd@outlook.com', '40.107.21.87']) {
      const r = await operator.get(`/api/search?q=${encodeURIComponent(q)}`);
      expect(r.status, q).toBe(200);
      expect(r.body.total, q).toBeGreaterThanOrEqual(1);
      expect(r.body.messages[0]).toHaveProperty('root_id');
    }
    const byRcpt = await operator.get('/api/search?q=antonio.testa@unipi.it');
    expect(byRcpt.body.kind).toBe('address');
    expect(byRcpt.body.messages.some((m: { recipients: string[] }) => m.recipients.includes('antonio.testa@unipi.it'))).toBe(true);
    // the rejected attacker shows among the rejects of the recipient
    expect(byRcpt.body.rejects.some((x: { reply: string }) => x.reply.includes(XSS_HELO))).toBe(true);
    // in any case, by recipient and by sender
    const shouted = await operator.get('/api/search?q=ANTONIO.TESTA@UNIPI.IT');
    expect(shouted.body.rejects.map((x: { id: number }) => x.id)).toEqual(byRcpt.body.rejects.map((x: { id: number }) => x.id));
    const bySender = await operator.get('/api/search?q=Attacker@Evil.Example');
    expect(bySender.body.rejects.some((x: { sender: string }) => x.sender === 'attacker@evil.example')).toBe(true);
  });

  it('is paged and bounded by dates', async () => {
    const r = await operator.get(`/api/search?q=577F6B0922&from=${DATE}&to=${DATE}&page=1`);
    expect(r.body).toMatchObject({ page: 1, page_size: 50, total: 1 });
    const later = await operator.get('/api/search?q=577F6B0922&from=2026-11-30&to=2026-11-30');
    expect(later.body.total).toBe(0);
    const p2 = await operator.get('/api/search?q=577F6B0922&page=2');
    expect(p2.body.messages).toEqual([]);
  });

  it('traces the whole family in time order with the outcome per recipient', async () => {
    const s = await operator.get('/api/search?q=577F6B0922');
    const id = s.body.messages[0].id;
    const r = await operator.get(`/api/trace/${id}`);
    expect(r.status).toBe(200);
    expect(r.body.messages.map((m: { qid: string }) => m.qid)).toEqual(['577F6B0922', '57A4B0FDB3']);
    const ats = r.body.lines.map((l: { at: number }) => l.at);
    expect([...ats].sort((a, b) => a - b)).toEqual(ats);
    expect(r.body.lines.length).toBeGreaterThanOrEqual(10);
    expect(r.body.lines.some((l: { program: string }) => l.program.startsWith('amavis'))).toBe(true);
    expect(r.body.recipients).toEqual([expect.objectContaining({ recipient: 'antonio.testa@unipi.it', status: 'sent', hop: 'mailbox' })]);
    expect(r.body.verdicts[0]).toMatchObject({ verdict: 'CLEAN', category: 'clean' });
    // the re-injected child traces to the same family
    const child = r.body.messages[1].id;
    expect((await operator.get(`/api/trace/${child}`)).body.root_id).toBe(r.body.root_id);
  });
});

describe('errors', () => {
  it('bad parameters are 400 with a message', async () => {
    const cases: Array<[string, RegExp]> = [
      ['/api/summary?from=2026-02-30', /from: expected a calendar date/],
      ['/api/summary?from=yesterday', /from: expected a calendar date/],
      ['/api/summary?from=2026-11-29&to=2026-11-01', /is after/],
      ['/api/summary?from=2024-01-01&to=2026-11-29', /at most 400 days/],
      ['/api/hourly?date=29/11/2026', /date: expected a calendar date/],
      ['/api/heatmap?figure=nonsense', /figure/],
      ['/api/rejects?detail=yes', /detail/],
      ['/api/search', /q: /],
      ['/api/search?q=ab', /at least 3/],
      ['/api/search?q=abcdef&page=0', /page/],
      ['/api/search?q=abcdef&page=x', /page/],
      ['/api/trace/abc', /expected a message id/],
      ['/api/trace/-4', /expected a message id/],
      ['/api/audit?page=0', /page/],
      // a typo is not answered with the defaults
      ['/api/summary?form=2026-11-01', /^unknown parameter form$/],
      ['/api/logins?from=2026-11-01&user[]=x', /unknown parameter user\[\]/],
      // a value failing two checks is named once
      ['/api/search?q=abcdef&page=99999999999999999999', /^page: expected a page number$/],
    ];
    for (const [path, msg] of cases) {
      const agent = path.startsWith('/api/audit') ? admin : operator;
      const r = await agent.get(path);
      expect(r.status, path).toBe(400);
      expect(r.body.error, path).toMatch(msg);
    }
    expect((await operator.post('/login').set('Content-Type', 'application/json').send('{not json')).status).toBe(400);
  });

  it('an unknown route is 404, an unknown message 404', async () => {
    expect((await operator.get('/api/nothing')).status).toBe(404);
    expect((await operator.get('/api/nothing')).body.error).toMatch(/not found/);
    expect((await request(app).get('/no/such/page')).status).toBe(404);
    expect((await operator.get('/api/trace/999999')).status).toBe(404);
  });

  it('a missing asset is 404 and a path out of the assets 403 or 404, never 500, and the path is not echoed raw', async () => {
    const missing = await request(app).get('/assets/<b>nope</b>.js');
    expect(missing.status).toBe(404);
    expect(missing.text).not.toContain('<b>');
    expect((await request(app).get('/assets/')).status).toBe(404);
    expect((await request(app).get('/static/nope.css')).status).toBe(404);
    const escape = await request(app).get('/assets/..%2f..%2fpackage.json');
    expect([403, 404]).toContain(escape.status);
    expect(escape.text).not.toContain('"name"');
  });

  it('anything unexpected is a 500 without a stack trace', async () => {
    const broken = await makeEnv();
    const logged: string[] = [];
    const { createApp } = await import('../../server/http/app');
    const a = createApp({ db: broken.db, config: broken.config, log: (m) => logged.push(m) });
    broken.db.exec('DROP TABLE rollup_day');
    const agent = await loginAs(a, 'manager');
    const r = await agent.get('/api/summary');
    expect(r.status).toBe(500);
    expect(r.body).toEqual({ error: 'internal server error', status: 500 });
    expect(r.text).not.toMatch(/at |rollup_day|\.ts/);
    expect(logged.join('\n')).toMatch(/rollup_day/);
    broken.close();
  });

  it('pages carry a strict Content-Security-Policy and API text is JSON, never HTML', async () => {
    const page = await operator.get('/trace');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const r = await operator.get(`/api/rejects?from=${DATE}&to=${DATE}&detail=1`);
    expect(r.headers['content-type']).toMatch(/application\/json/);
    expect(r.headers['referrer-policy']).toBe('no-referrer');
  });
});
