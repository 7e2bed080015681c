// The wall and manager roles see counts and countries only: a walk over every GET route the
// app has (found in its router, not listed by hand), as each role, on generated data with the
// planted cases and their signals, finds no address, login name or client address in any answer.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { rmSync } from 'node:fs';
import { plantedRun, PLANTED_START, PLANTED_END, type PlantedRun } from '../helpers/planted';
import { loginAs } from '../helpers/env';
import { runDetection } from '../../signals/queries';
import { openGeoIp } from '../../collectors/enrich/geoip';
import { dayBounds } from '../../core/time/local-time';
import { createApp, type App } from '../../server/http/app';

let run: PlantedRun;
let app: App;
/** every address, user name and client address in the database */
let personal: string[];
const samples: Record<string, string> = { id: '1', month: '2026-03' };

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** GET paths of the app's routers. */
function getPaths(a: App): string[] {
  const out: string[] = [];
  const walk = (stack: Layer[]): void => {
    for (const l of stack) {
      if (l.route && l.route.methods.get) out.push(l.route.path);
      else if (l.handle?.stack) walk(l.handle.stack);
    }
  };
  walk((a as unknown as { router: { stack: Layer[] } }).router.stack);
  return [...new Set(out)];
}

beforeAll(async () => {
  run = await plantedRun();
  runDetection(run.db, run.config, openGeoIp(run.config.geoip), dayBounds('Europe/Rome', PLANTED_START)[0], dayBounds('Europe/Rome', PLANTED_END)[1], 1);
  app = createApp({ db: run.db, config: run.config, now: () => Date.parse('2026-03-04T20:00:00Z'), log: () => {} });
  const values = run.db
    .prepare(
      `SELECT rip FROM logins UNION SELECT username FROM logins UNION SELECT client_ip FROM messages UNION SELECT sasl_username FROM messages
       UNION SELECT sender FROM messages UNION SELECT client_ip FROM auth_failures UNION SELECT recipient FROM deliveries UNION SELECT subject FROM signals
       UNION SELECT client_ip FROM rejects`,
    )
    .pluck()
    .all() as Array<string | null>;
  personal = values.filter((v): v is string => typeof v === 'string' && v.length >= 5);
  expect(personal).toContain('177.10.1.1');
}, 120_000);
afterAll(() => {
  run.db.close();
  rmSync(run.dir, { recursive: true, force: true });
});

describe('wall and manager answers hold no personal data', () => {
  for (const role of ['wallie', 'manager'] as const) {
    it(`as ${role}`, async () => {
      const agent = await loginAs(app, role);
      const paths = getPaths(app).filter((p) => p !== '/logout' && p !== '/login' && p !== '/api/live');
      expect(paths).toContain('/api/geo');
      expect(paths).toContain('/api/signals');
      const answered: string[] = [];
      for (const path of paths) {
        // route parameters by name (a new one needs a sample here, or the route answers 400 below)
        const base = path.replace(/:([a-z]+)/g, (_m, name: string) => samples[name] ?? '1');
        let r = await agent.get(`${base}?from=${PLANTED_START}&to=${PLANTED_END}`);
        if (r.status === 400) r = await agent.get(`${base}?date=${PLANTED_END}`);
        if (r.status === 400) r = await agent.get(base);
        // 204: answers without a body (the favicon)
        if (r.status === 403 || r.status === 404 || r.status === 204) continue;
        expect(r.status, path).toBe(200);
        answered.push(path);
        const text = r.text;
        const leaked = personal.filter((v) => text.includes(v));
        expect(leaked, `${role} ${path}`).toEqual([]);
      }
      expect(answered).toContain('/api/geo/top');
      expect(answered).toContain('/api/signals/open');
      if (role === 'manager') expect(answered).toContain('/api/geo');
      expect(answered).not.toContain('/api/signals');
      expect(answered).not.toContain('/api/timeline');
      expect(answered.length).toBeGreaterThan(8);
    });
  }

  it('the country answers are not empty (the walk read real data)', async () => {
    const manager = await loginAs(app, 'manager');
    const geo = await manager.get(`/api/geo?from=${PLANTED_START}&to=${PLANTED_END}`);
    expect(geo.body.credit).toBe('IP Geolocation by DB-IP');
    expect(geo.body.countries.length).toBeGreaterThan(10);
    const wall = await loginAs(app, 'wallie');
    const open = await wall.get('/api/signals/open');
    expect(open.body.open).toBe(run.truth.signals.length);
  });
});
