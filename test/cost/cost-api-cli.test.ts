// /api/cost over real HTTP (roles, bad parameters, no personal data, the CSV) and
// `postino cost --json` through the real command line on the same database.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import request from 'supertest';
import { makeEnv, loginAs, type TestEnv } from '../helpers/env';
import { generateToFile } from '../../collectors/generate/index';
import { postino } from '../helpers/cli';
import type { App } from '../../server/http/app';

const FROM = '2026-11-02';
const TO = '2026-11-03';
let env: TestEnv;
let app: App;

beforeAll(async () => {
  env = await makeEnv([], { budget: { departments: [{ name: 'Mathematics', domains: ['dm.unipi.it'] }] } });
  await generateToFile({ start: FROM, days: 2, scale: 0.005, tz: 'Europe/Rome', seed: 4, outagePlan: 'none' }, join(env.dir, 'gen.log'));
  await env.pipeline.ingestFile(join(env.dir, 'gen.log'), { year: 2026 });
  env.pipeline.flushRollups();
  app = env.app();
}, 120_000);

afterAll(() => env?.close());

describe('/api/cost', () => {
  it('needs the manager role', async () => {
    expect((await request(app).get(`/api/cost?from=${FROM}&to=${TO}`)).status).toBe(401);
    const wall = await loginAs(app, 'wallie');
    expect((await wall.get(`/api/cost?from=${FROM}&to=${TO}`)).status).toBe(403);
  });

  it('answers the figures, departments only, no personal data; a GET writes no rollup row', async () => {
    const agent = await loginAs(app, 'manager');
    const days = (): number => (env.db.prepare('SELECT count(*) AS n FROM rollup_day').get() as { n: number }).n;
    const before = days();
    const r = await agent.get(`/api/cost?from=${FROM}&to=${TO}`);
    expect(r.status).toBe(200);
    expect(days()).toBe(before);
    expect(r.body.mailboxes).toBeGreaterThan(0);
    expect(r.body.departments.map((d: { department: string }) => d.department)).toEqual(['Mathematics', 'unallocated']);
    expect(r.body.storage).toEqual({ available: false, note: expect.stringContaining('need quota snapshots') });
    expect(JSON.stringify(r.body)).not.toMatch(/[\w.+-]+@[\w-]+\.[a-z]{2,}/i); // no addresses anywhere
    expect(JSON.stringify(r.body)).not.toMatch(/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/); // no IPs
  });

  it('bad parameters are 400 with a message', async () => {
    const agent = await loginAs(app, 'manager');
    const bad = await agent.get('/api/cost?from=2026-13-01');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/from/);
    expect((await agent.get(`/api/cost?from=${TO}&to=${FROM}`)).status).toBe(400);
    expect((await agent.get('/api/cost?form=2026-11-01')).status).toBe(400);
  });

  it('serves the chargeback CSV, reconciling to the window budget', async () => {
    const agent = await loginAs(app, 'manager');
    const json = (await agent.get(`/api/cost?from=${FROM}&to=${TO}`)).body as { totals: { window_budget: number } };
    const r = await agent.get(`/api/cost/chargeback.csv?from=${FROM}&to=${TO}`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/text\/csv/);
    const [head, ...rows] = r.text.trim().split('\r\n');
    const col = head!.split(',').indexOf('BilledCost');
    expect(rows).toHaveLength(2);
    expect(rows.reduce((s, l) => s + Math.round(Number(l.split(',')[col]) * 100), 0)).toBe(Math.round(json.totals.window_budget * 100));
  });
});

describe('postino cost', () => {
  it('--json holds the figures of the issue, in euro to the cent, same as the API', async () => {
    const r = postino(['cost', '--db', env.config.database, '--from', FROM, '--to', TO, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    for (const k of ['mailboxes', 'investment_per_mailbox', 'running_per_mailbox_year', 'full_per_mailbox_year', 'per_delivered_message', 'departments', 'scenarios']) expect(j).toHaveProperty(k);
    expect(j.scenarios[0]).toMatchObject({ name: 'Fully loaded: 10,000 mailboxes', mailboxes: 10000, investment_per_mailbox: 2.83 });
    expect(Math.round(j.investment_per_mailbox * 100) / 100).toBe(j.investment_per_mailbox);
    const agent = await loginAs(app, 'manager');
    const api = (await agent.get(`/api/cost?from=${FROM}&to=${TO}`)).body;
    expect(j.mailboxes).toBe(api.mailboxes);
    expect(j.full_per_mailbox_year).toBe(api.full_per_mailbox_year);
  });

  it('prints a table, and exits 2 on a missing option, 1 on a bad date', () => {
    const t = postino(['cost', '--db', env.config.database, '--from', FROM, '--to', TO]);
    expect(t.status).toBe(0);
    expect(t.stdout).toMatch(/investment per mailbox\s+\d/);
    expect(t.stdout).toContain('storage: storage figures need quota snapshots');
    expect(postino(['cost', '--db', env.config.database, '--from', FROM]).status).toBe(2);
    const bad = postino(['cost', '--db', env.config.database, '--from', '2026-02-30', '--to', TO]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('--from: expected a date');
  });
});
