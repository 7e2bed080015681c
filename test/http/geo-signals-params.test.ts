// Bad input to the GeoIP and signal routes: a clear 400 naming the parameter, never a 500; an
// unknown signal is a 404; nothing is written by a refused request.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { makeEnv, loginAs, type TestEnv } from '../helpers/env';
import { createApp, type App } from '../../server/http/app';

let env: TestEnv;
let app: App;
beforeAll(async () => {
  env = await makeEnv();
  app = createApp({ db: env.db, config: env.config, now: () => Date.parse('2026-03-04T20:00:00Z'), log: () => {} });
});
afterAll(() => env.close());

describe('GeoIP and signal routes refuse bad input', () => {
  it('as a manager: /api/geo and /api/geo/top', async () => {
    const a = await loginAs(app, 'manager');
    const cases: Array<[string, RegExp]> = [
      ['/api/geo?from=yesterday', /from/],
      ['/api/geo?from=2026-03-02&to=2026-03-01', /after/],
      ['/api/geo?from=2999-01-01', /from/],
      ['/api/geo/top?n=0', /n/],
      ['/api/geo/top?n=abc', /n/],
      ['/api/geo/top?date=2026-13-01', /date/],
    ];
    for (const [path, message] of cases) {
      const r = await a.get(path);
      expect(r.status, path).toBe(400);
      expect(r.body.error, path).toMatch(message);
    }
    expect((await a.get('/api/geo?from=2026-03-01&to=2026-03-02')).status).toBe(200);
  });

  it('as an operator: signals, their state and the timeline', async () => {
    const a = await loginAs(app, 'operator');
    const audited = (): number => (env.db.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n;
    const before = audited();
    for (const [path, message] of [
      ['/api/signals?state=bogus', /state/],
      ['/api/signals?from=2026-3-1', /from/],
      ['/api/timeline', /user/],
      ['/api/timeline?user=%20', /user/],
    ] as Array<[string, RegExp]>) {
      const r = await a.get(path);
      expect(r.status, path).toBe(400);
      expect(r.body.error, path).toMatch(message);
    }
    expect((await a.post('/api/signals/abc/state').send({ state: 'closed' })).status).toBe(400);
    expect((await a.post('/api/signals/1/state').send({ state: 'gone' })).body.error).toMatch(/state/);
    expect((await a.post('/api/signals/1/state').send({ state: 'acknowledged' })).body.error).toMatch(/note/);
    expect((await a.post('/api/signals/1/state').send({ state: 'closed', extra: 1 })).status).toBe(400);
    expect((await a.post('/api/signals/999/state').send({ state: 'closed' })).status).toBe(404);
    // refused before any personal data was read: nothing audited for those; the state change of a
    // well-formed request is audited as tried, even for a signal that does not exist
    const rows = env.db.prepare(`SELECT action, query FROM audit ORDER BY id DESC LIMIT ?`).all(audited() - before) as Array<{ action: string; query: string }>;
    expect(rows.map((r) => r.action)).toEqual(['signal-state']);
    expect(JSON.parse(rows[0]!.query)).toMatchObject({ id: 999, state: 'closed' });
  });
});
