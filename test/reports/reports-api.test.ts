// /api/reports over real HTTP (supertest): roles, bad parameters as 400, generation on demand,
// the list and the download; a GET writes nothing. And the `postino report` command line.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { makeEnv, loginAs, type TestEnv } from '../helpers/env';
import { baseDay } from '../helpers/lines';
import { postino, tempDir } from '../helpers/cli';
import type { App } from '../../server/http/app';

let env: TestEnv;
let app: App;

beforeAll(async () => {
  env = await makeEnv(baseDay());
  env.config.reports.folder = join(env.dir, 'reports');
  app = env.app();
});
afterAll(() => env.close());

describe('/api/reports', () => {
  it('is for managers and above', async () => {
    expect((await request(app).get('/api/reports')).status).toBe(401);
    const wall = await loginAs(app, 'wallie');
    expect((await wall.get('/api/reports')).status).toBe(403);
    expect((await wall.post('/api/reports').send({ month: '2026-11' })).status).toBe(403);
    const manager = await loginAs(app, 'manager');
    const r = await manager.get('/api/reports');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ language: 'it', schedule: '0 6 1 * *', tz: 'Europe/Rome', mail: false, reports: [] });
  });

  it('answers bad months and languages with 400, a month without a report with 404', async () => {
    const manager = await loginAs(app, 'manager');
    for (const body of [{ month: '2026-13' }, { month: 'nov' }, {}, { month: '2026-11', lang: 'fr' }, { month: '2026-11', extra: 1 }]) {
      const r = await manager.post('/api/reports').send(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error).toMatch(/month|lang|unknown|extra/);
    }
    // the test clock is 2026-11-29: December has not started
    const future = await manager.post('/api/reports').send({ month: '2026-12' });
    expect(future.status).toBe(400);
    expect(future.body.error).toBe('month 2026-12 has not started yet');
    expect((await manager.get('/api/reports/2026-1.pdf')).status).toBe(400);
    expect((await manager.get('/api/reports/2026-10.pdf?lang=de')).status).toBe(400);
    const none = await manager.get('/api/reports/2026-10.pdf');
    expect(none.status).toBe(404);
    expect(none.body.error).toMatch(/no report for 2026-10/);
  });

  it('generates on demand, lists and downloads; another language renders from the stored model without writing', async () => {
    const manager = await loginAs(app, 'manager');
    const g = await manager.post('/api/reports').send({ month: '2026-11' });
    expect(g.status).toBe(201);
    expect(g.body).toMatchObject({ month: '2026-11', lang: 'it', has_data: true, reused: false, url: '/api/reports/2026-11.pdf?lang=it' });
    const list = await manager.get('/api/reports');
    expect(list.body.reports).toHaveLength(1);
    expect(list.body.reports[0]).toMatchObject({ month: '2026-11', has_data: true, pdfs: [{ lang: 'it' }], urls: { it: '/api/reports/2026-11.pdf?lang=it' } });
    const pdf = await manager.get('/api/reports/2026-11.pdf').buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    const files = readdirSync(env.config.reports.folder).sort();
    expect(files).toEqual(['2026-11.it.pdf', '2026-11.json']);
    const en = await manager.get('/api/reports/2026-11.pdf?lang=en');
    expect(en.status).toBe(200);
    expect(readdirSync(env.config.reports.folder).sort()).toEqual(files);
  }, 60_000);
});

describe('postino report', () => {
  it('writes the month into the reports folder and --out; bad input exits 1, a missing --month 2', () => {
    const dir = tempDir('postino-report-cli-');
    const db = join(dir, 'p.db');
    const cfg = join(dir, 'postino.yml');
    writeFileSync(cfg, `demo: false\nreports:\n  folder: ${join(dir, 'reports')}\n`);
    const ok = postino(['report', '--month', '2025-06', '--config', cfg, '--db', db, '--lang', 'en', '--out', join(dir, 'june.pdf')]);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('no data for this month');
    expect(existsSync(join(dir, 'june.pdf'))).toBe(true);
    expect(existsSync(join(dir, 'reports', '2025-06.en.pdf'))).toBe(true);
    const bad = postino(['report', '--month', '2025-6', '--config', cfg, '--db', db]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('--month: expected YYYY-MM, got "2025-6"');
    const lang = postino(['report', '--month', '2025-06', '--config', cfg, '--db', db, '--lang', 'fr']);
    expect(lang.status).toBe(1);
    expect(lang.stderr).toContain('--lang: expected it or en');
    expect(postino(['report', '--config', cfg, '--db', db]).status).toBe(2);
  }, 120_000);
});
