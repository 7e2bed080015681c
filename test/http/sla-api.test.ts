// /api/sla, /api/incidents, /api/sla.csv, /api/sla/now, maintenance and the SLA gauges of
// /metrics over real HTTP (supertest): roles, evidence only for operators and audited, 400s.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { makeEnv, loginAs, WALL_TOKEN, type TestEnv } from '../helpers/env';
import { DATE, baseDay } from '../helpers/lines';
import { openMailboxOutage, OPEN_OUTAGE_DEFERRAL } from '../helpers/sla-lines';
import type { App } from '../../server/http/app';
import type { SlaReport } from '../../sla/index';

let env: TestEnv;
let app: App;
type Agent = Awaited<ReturnType<typeof loginAs>>;
let admin: Agent, operator: Agent, manager: Agent;

beforeAll(async () => {
  env = await makeEnv([...baseDay(), ...openMailboxOutage()].sort((a, b) => a.slice(0, 15).localeCompare(b.slice(0, 15))));
  app = env.app();
  [admin, operator, manager] = await Promise.all([loginAs(app, 'admin'), loginAs(app, 'operator'), loginAs(app, 'manager')]);
});
afterAll(() => env.close());

const q = `from=${DATE}&to=${DATE}`;
const BEARER = `Bearer ${WALL_TOKEN}`;
const auditCount = (action: string) => (env.db.prepare(`SELECT count(*) AS n FROM audit WHERE action = ?`).get(action) as { n: number }).n;

describe('roles', () => {
  it('needs a session, and the manager role for the report; the wall gets only its summary', async () => {
    for (const p of [`/api/sla?${q}`, `/api/incidents?${q}`, `/api/sla.csv?${q}`, '/api/sla/now']) expect((await request(app).get(p)).status, p).toBe(401);
    for (const p of [`/api/sla?${q}`, `/api/incidents?${q}`, `/api/sla.csv?${q}`]) expect((await request(app).get(p).set('Authorization', BEARER)).status, p).toBe(403);
    expect((await request(app).get('/api/sla/now').set('Authorization', BEARER)).status).toBe(200);
  });
});

describe('/api/sla', () => {
  it('gives the report with the open mailbox outage, weighted by mbox1 share, without evidence', async () => {
    const r = await manager.get(`/api/sla?${q}`);
    expect(r.status).toBe(200);
    const rep = r.body as SlaReport;
    const mb = rep.services.find((s) => s.service === 'mailbox')!;
    // down from 13:50 to now (14:00): 600 s, mbox1 holds half the mailboxes (test config)
    expect(rep.hosts.find((h) => h.host === 'mbox1.unipi.it')!.downtime_s).toBe(600);
    expect(mb.downtime_s).toBe(300);
    const inc = rep.incidents.find((i) => i.service === 'mailbox')!;
    expect(inc).toMatchObject({ open: true, end: null, hosts: ['mbox1.unipi.it'], cause: 'daemon-stop', start: '2026-11-29T12:50:00Z' });
    expect(JSON.stringify(rep)).not.toContain('antonio.testa');
    expect(rep.as_of).toBe('2026-11-29T13:00:00Z');
    // 13:00-14:00 is known (lines every minute); the rest of the day until now mostly unknown
    expect(rep.unknown_s).toBeGreaterThan(0);
    expect(rep.coverage).toBeLessThan(1);
  });

  it('gives evidence lines to an operator who asks, and audits it; never to a manager', async () => {
    expect((await manager.get(`/api/sla?${q}&evidence=1`)).status).toBe(403);
    const before = auditCount('sla');
    const r = await operator.get(`/api/sla?${q}&evidence=1`);
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).toContain(OPEN_OUTAGE_DEFERRAL);
    expect(auditCount('sla')).toBe(before + 1);
    const inc = await operator.get(`/api/incidents?${q}&evidence=1`);
    expect(inc.body.incidents[0].timeline.some((t: { evidence?: string[] }) => (t.evidence ?? []).length > 0)).toBe(true);
    expect(auditCount('incidents')).toBe(1);
  });

  it('answers 400 with a clear message to bad parameters', async () => {
    for (const [p, msg] of [
      ['/api/sla?from=2026-13-01', /from: expected a calendar date/],
      [`/api/sla?${q}&form=x`, /unknown parameter form/],
      ['/api/sla?from=2026-11-29&to=2026-11-01', /is after/],
      [`/api/sla?${q}&evidence=yes`, /evidence=0 or evidence=1/],
      [`/api/sla.csv?${q}&table=people`, /table=services\|hosts\|incidents/],
      ['/api/incidents?from=2020-01-01&to=2026-01-01', /at most 400 days/],
    ] as const) {
      const r = await manager.get(p);
      expect(r.status, p).toBe(400);
      expect(r.body.error, p).toMatch(msg);
    }
  });
});

describe('CSV downloads', () => {
  it('per-service figures and incidents as CSV', async () => {
    const s = await manager.get(`/api/sla.csv?${q}&table=services`);
    expect(s.status).toBe(200);
    expect(s.headers['content-type']).toMatch(/^text\/csv/);
    expect(s.headers['content-disposition']).toContain(`postino-services-${DATE}-${DATE}.csv`);
    const rows = s.text.trim().split('\r\n');
    expect(rows[0]).toMatch(/^service,hosts,availability,availability_pct,/);
    expect(rows).toHaveLength(8);
    expect(rows.find((l) => l.startsWith('mailbox,'))).toContain(',300,');
    const i = await manager.get(`/api/sla.csv?${q}&table=incidents`);
    expect(i.text.split('\r\n')[1]).toMatch(/^mailbox,2026-11-29T12:50:00Z,,true,mbox1.unipi.it,daemon-stop,/);
  });
});

describe('the wall summary', () => {
  it('shows the mailbox degraded, the open incident and no personal data', async () => {
    const r = await request(app).get('/api/sla/now').set('Authorization', BEARER);
    expect(r.body.open_incidents).toEqual([{ service: 'mailbox', start: '2026-11-29T12:50:00Z', hosts: ['mbox1.unipi.it'], cause: 'daemon-stop' }]);
    expect(r.body.services.find((s: { service: string }) => s.service === 'mailbox').state).toBe('degraded');
    expect(JSON.stringify(r.body)).not.toMatch(/@|antonio/);
  });
});

describe('maintenance declared by an admin', () => {
  it('is admin only, needs a reason, and then excludes its span', async () => {
    const body = { from: '2026-11-29T12:50:00Z', to: '2026-11-29T12:55:00Z', services: ['mailbox'], reason: 'disk replaced on mbox1' };
    expect((await manager.post('/api/sla/maintenance').send(body)).status).toBe(403);
    const bad = await admin.post('/api/sla/maintenance').send({ ...body, reason: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/reason/);
    expect((await admin.post('/api/sla/maintenance').send({ ...body, to: body.from })).status).toBe(400);
    expect((await admin.post('/api/sla/maintenance').send({ ...body, services: ['dns'] })).status).toBe(400);
    const ok = await admin.post('/api/sla/maintenance').send(body);
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ declared_by: 'admin', reason: 'disk replaced on mbox1' });
    const rep = (await manager.get(`/api/sla?${q}`)).body as SlaReport;
    const mb = rep.services.find((s) => s.service === 'mailbox')!;
    expect(mb.raw_downtime_s).toBe(300);
    expect(mb.downtime_s).toBe(150); // 5 of the 10 minutes were maintenance, x 0.5
    expect(mb.maintenance_s).toBe(300);
    expect(rep.maintenance).toEqual([expect.objectContaining({ reason: 'disk replaced on mbox1', source: 'declared', declared_by: 'admin' })]);
    env.db.prepare('DELETE FROM sla_maintenance').run();
  });
});

describe('/metrics', () => {
  it('exports availability gauges per service and the burn-rate alerts', async () => {
    const r = await request(app).get('/metrics').set('Authorization', BEARER);
    expect(r.status).toBe(200);
    expect(r.text).toMatch(/^postino_sla_availability_ratio\{service="mailbox"\} 0\.9\d+$/m);
    expect(r.text).toMatch(/^postino_sla_service_up\{service="mailbox"\} 0\.5$/m);
    // the last 5 min and 1 h: mailbox half down, far above 14.4x a 0.99999 target
    expect(r.text).toMatch(/^postino_sla_burn_alert\{service="mailbox",severity="page"\} 1$/m);
    expect(r.text).toMatch(/^postino_sla_burn_alert\{service="smtp-in",severity="page"\} 0$/m);
    expect(r.text).toMatch(/^postino_sla_error_budget_left_seconds\{service="mailbox",period="calendar_month"\} -/m);
    expect(r.text).toMatch(/^postino_sla_open_incidents\{service="mailbox"\} 1$/m);
  });
});
