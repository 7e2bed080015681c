// Sessions in SQLite: a restart signs nobody out, only hashes are stored, a kiosk flood reuses
// its token's few sessions, idle sessions end, admins list and revoke them (API and CLI).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { makeEnv, loginAs, WALL_TOKEN, PASSWORDS, type TestEnv } from '../helpers/env';
import { NOW_MS } from '../helpers/lines';
import { postino } from '../helpers/cli';
import { createApp } from '../../server/http/app';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv([]);
});
afterAll(() => env.close());

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
const sessionCount = (): number => (env.db.prepare(`SELECT count(*) AS n FROM sessions`).get() as { n: number }).n;
function cookieOf(r: request.Response): string {
  const c = String(r.headers['set-cookie'] ?? '');
  return c.split(';')[0]!;
}

async function signIn(app: ReturnType<TestEnv['app']>, user: keyof typeof PASSWORDS): Promise<string> {
  const r = await request(app).post('/login').send({ username: user, password: PASSWORDS[user] });
  expect(r.status).toBe(200);
  return cookieOf(r);
}

describe('sessions in SQLite', () => {
  it('survive a restart (a new app over the same database) and are stored only as a hash', async () => {
    const cookie = await signIn(env.app(), 'admin');
    const id = cookie.split('=')[1]!;
    const restarted = env.app();
    const me = await request(restarted).get('/api/me').set('Cookie', cookie);
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ user: 'admin', role: 'admin' });
    const rows = env.db.prepare(`SELECT * FROM sessions`).all() as Array<Record<string, unknown>>;
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(id);
    expect(rows.map((r) => r.id_hash)).toContain(sha(id));
  });

  it('a flood of 10,050 /wall?token= requests keeps its token to a few sessions and signs no one out', async () => {
    const app = env.app();
    const admin = await signIn(app, 'admin');
    const before = sessionCount();
    const server = await new Promise<http.Server>((ok) => {
      const s = createApp({ db: env.db, config: env.config, now: () => NOW_MS, log: () => {} }).listen(0, '127.0.0.1', () => ok(s));
    });
    const port = (server.address() as AddressInfo).port;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const one = (): Promise<number> =>
      new Promise((ok, fail) => {
        http
          .get({ host: '127.0.0.1', port, path: `/wall?token=${WALL_TOKEN}`, agent }, (res) => {
            res.resume();
            res.on('end', () => ok(res.statusCode ?? 0));
          })
          .on('error', fail);
      });
    const N = 10_050;
    let ok200 = 0;
    for (let i = 0; i < N; i += 50) {
      const codes = await Promise.all(Array.from({ length: 50 }, one));
      ok200 += codes.filter((c) => c === 200).length;
    }
    agent.destroy();
    server.close();
    expect(ok200).toBe(N);
    const kiosk = (env.db.prepare(`SELECT count(*) AS n FROM sessions WHERE token_hash = ?`).get(sha(WALL_TOKEN)) as { n: number }).n;
    console.log(`sessions after a kiosk flood of ${N}: ${sessionCount()} in all (${before} before), ${kiosk} of the token`);
    expect(kiosk).toBe(env.config.access.kiosk_sessions_per_token);
    expect(sessionCount()).toBe(before + kiosk);
    expect((await request(app).get('/api/me').set('Cookie', admin)).body).toEqual({ user: 'admin', role: 'admin' });
  });

  it('a kiosk session is still the wall role, and a signed-in user visiting the kiosk URL keeps their own session', async () => {
    const app = env.app();
    const wall = await request(app).get(`/wall?token=${WALL_TOKEN}`);
    expect((await request(app).get('/api/me').set('Cookie', cookieOf(wall))).body).toEqual({ user: 'wall', role: 'wall' });
    const op = await signIn(app, 'operator');
    const visit = await request(app).get(`/wall?token=${WALL_TOKEN}`).set('Cookie', op);
    expect(visit.status).toBe(200);
    expect(visit.headers['set-cookie']).toBeUndefined();
    expect((await request(app).get('/api/me').set('Cookie', op)).body.role).toBe('operator');
  });

  it('ends a session idle for longer than access.session_idle_minutes, and keeps one in use', async () => {
    let now = NOW_MS;
    const app = env.app(() => now);
    const busy = await signIn(app, 'manager');
    const idle = await signIn(app, 'manager');
    const idleMs = env.config.access.session_idle_minutes * 60_000;
    for (let i = 0; i < 3; i++) {
      now += idleMs / 2;
      expect((await request(app).get('/api/me').set('Cookie', busy)).status).toBe(200);
    }
    expect((await request(app).get('/api/me').set('Cookie', idle)).status).toBe(401);
    // and whatever the use, a session ends session_max_hours after sign-in
    now = NOW_MS + env.config.access.session_max_hours * 3_600_000;
    expect((await request(app).get('/api/me').set('Cookie', busy)).status).toBe(401);
  });
});

describe('wall sessions', () => {
  it('end after access.wall_session_idle_hours without a request; a screen that asks every hour keeps its own', async () => {
    // the token's kiosk sessions of the tests above would share these instants
    env.db.prepare(`DELETE FROM sessions WHERE token_hash = ?`).run(sha(WALL_TOKEN));
    let now = NOW_MS;
    const app = env.app(() => now);
    const cookieOf = async (): Promise<string> => {
      const r = await request(app).get(`/wall?token=${WALL_TOKEN}`);
      expect(r.status).toBe(200);
      return String(r.headers['set-cookie'] ?? '').split(';')[0]!;
    };
    const working = await cookieOf();
    now += 1000;
    const switchedOff = await cookieOf();
    const idleH = env.config.access.wall_session_idle_hours;
    for (let h = 0; h < idleH + 2; h++) {
      now += 3_600_000;
      expect((await request(app).get('/api/me').set('Cookie', working)).status).toBe(200);
    }
    expect((await request(app).get('/api/me').set('Cookie', switchedOff)).status).toBe(401);
    expect((await request(app).get('/api/me').set('Cookie', working)).body.role).toBe('wall');
    // the kiosk URL still gives a switched-on screen a new session
    expect(await cookieOf()).toMatch(/^postino_session=/);
  });
});

describe('listing and revoking sessions', () => {
  it('GET /api/sessions (admin, audited) lists handles, DELETE ends one; others get 403, bad handles 400', async () => {
    const app = env.app();
    const admin = await loginAs(app, 'admin');
    const op = await signIn(app, 'operator');
    const auditBefore = (env.db.prepare(`SELECT count(*) AS n FROM audit WHERE action = 'sessions'`).get() as { n: number }).n;
    const list = await admin.get('/api/sessions');
    expect(list.status).toBe(200);
    expect((env.db.prepare(`SELECT count(*) AS n FROM audit WHERE action = 'sessions'`).get() as { n: number }).n).toBe(auditBefore + 1);
    const opHandle = sha(op.split('=')[1]!).slice(0, 16);
    const row = (list.body.sessions as Array<{ handle: string; user: string; role: string; kiosk: boolean }>).find((s) => s.handle === opHandle);
    expect(row).toMatchObject({ user: 'operator', role: 'operator', kiosk: false });
    expect(JSON.stringify(list.body)).not.toContain(op.split('=')[1]!);
    expect((await request(app).get('/api/sessions').set('Cookie', op)).status).toBe(403);
    expect((await admin.delete('/api/sessions/not-a-handle')).status).toBe(400);
    expect((await admin.delete('/api/sessions/0123456789abcdef')).status).toBe(404);
    expect((await admin.delete(`/api/sessions/${opHandle}`)).body).toEqual({ revoked: 1 });
    expect((await request(app).get('/api/me').set('Cookie', op)).status).toBe(401);
    await signIn(app, 'manager');
    const all = await admin.delete('/api/sessions?user=manager');
    expect(all.body.revoked).toBeGreaterThanOrEqual(1);
    expect((env.db.prepare(`SELECT count(*) AS n FROM sessions WHERE user = 'manager'`).get() as { n: number }).n).toBe(0);
  });

  it('postino session list|revoke works on the database, with usage errors for bad input', async () => {
    // the command runs on the real clock
    const app = env.app(Date.now);
    const op = await signIn(app, 'operator');
    const handle = sha(op.split('=')[1]!).slice(0, 16);
    const db = ['--db', env.config.database];
    const list = postino(['session', 'list', '--json', ...db]);
    expect(list.stderr).toBe('');
    expect(list.status).toBe(0);
    expect((JSON.parse(list.stdout) as { sessions: Array<{ handle: string }> }).sessions.map((s) => s.handle)).toContain(handle);
    const table = postino(['session', 'list', ...db]);
    expect(table.stdout).toContain(`${handle}  operator`);
    expect(postino(['session', 'revoke', 'xyz', ...db]).status).toBe(1);
    expect(postino(['session', 'revoke', ...db]).status).toBe(1);
    expect(postino(['session', 'revoke', '0123456789abcdef', ...db]).stderr).toMatch(/no session/);
    const r = postino(['session', 'revoke', handle, ...db]);
    expect(r.stdout).toContain('1 session(s) revoked');
    expect((await request(app).get('/api/me').set('Cookie', op)).status).toBe(401);
  });
});
