// /api/probes and the probe gauges of /metrics over a real database filled by real probe runs
// against responders on 127.0.0.1; `postino probe --once --json` as a child process. The
// probe account's password never appears in a response or a stored detail.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { makeEnv, loginAs, WALL_TOKEN, type TestEnv } from '../helpers/env';
import { havePromtool, promtoolFindings } from '../helpers/promtool';
import { repoRoot } from '../helpers/cli';
import { runProbe } from '../../server/probes/run-probe';
import { insertProbeResult } from '../../server/probes/store';
import { startResponder, type Responder } from './responders';
import { makeTestCert, type TestCert } from './test-cert';

const SECRET = 'probe-Secret-pw-7731';
let env: TestEnv;
let imap: Responder;
let smtp: Responder;
let cert: TestCert;

beforeAll(async () => {
  cert = makeTestCert(90);
  imap = await startResponder({ protocol: 'imap', tls: cert, users: { probe: SECRET }, echo: true });
  smtp = await startResponder({ protocol: 'smtp', tls: cert });
  env = await makeEnv([], {
    probes: [
      { name: 'imap-proxy1', type: 'imap', host: 'imap1.unipi.it', target: imap.target, tls: 'starttls', tls_ca_file: cert.certPath, login: { user: 'probe', password: SECRET } },
      { name: 'smtp-mx1', type: 'smtp', host: 'mx1.unipi.it', target: smtp.target, tls: 'starttls', tls_ca_file: cert.certPath },
      { name: 'never-run', type: 'pop3', host: 'pop1.unipi.it', target: '127.0.0.1:9' },
    ],
  });
  const [imapProbe, smtpProbe] = env.config.probes;
  // two good runs of each, then the IMAP probe with a wrong password (the server quotes it)
  for (let i = 0; i < 2; i++) for (const p of [imapProbe!, smtpProbe!]) insertProbeResult(env.db, await runProbe(p));
  insertProbeResult(env.db, await runProbe({ ...imapProbe!, login: { user: 'probe', password: SECRET + 'x' } }));
});
afterAll(async () => {
  await imap.stop();
  await smtp.stop();
  env.close();
});

describe('/api/probes', () => {
  it('gives each probe its last result, success ratio, certificate days left and open outage (manager)', async () => {
    const manager = await loginAs(env.app(Date.now), 'manager');
    const r = await manager.get('/api/probes');
    expect(r.status).toBe(200);
    expect(r.body.hours).toBe(24);
    const byName = Object.fromEntries((r.body.probes as Array<{ name: string }>).map((p) => [p.name, p])) as Record<string, Record<string, unknown>>;
    expect(Object.keys(byName)).toEqual(['imap-proxy1', 'smtp-mx1', 'never-run']);
    expect(byName['smtp-mx1']).toMatchObject({ service: 'smtp-in', tls: 'starttls', runs: 2, successes: 2, success_ratio: 1, outage: null, last: { ok: true, detail: '' } });
    expect(byName['imap-proxy1']).toMatchObject({ service: 'imap', login: true, runs: 3, successes: 2, last: { ok: false, cert_days_left: null } });
    expect(byName['imap-proxy1']!.success_ratio).toBeCloseTo(2 / 3, 10);
    expect((byName['imap-proxy1']!.outage as { detail: string }).detail).toMatch(/^LOGIN: NO \[AUTHENTICATIONFAILED\]/);
    // the failed run read no certificate: days left come from the newest run that did
    for (const n of ['imap-proxy1', 'smtp-mx1']) {
      const d = byName[n]!.cert_days_left as number;
      expect(d, n).toBeGreaterThan(89.99);
      expect(d, n).toBeLessThanOrEqual(90.001);
    }
    expect(byName['never-run']).toMatchObject({ last: null, runs: 0, success_ratio: null, cert_days_left: null });
  });

  it('never shows the password, nor stores it, though the server quoted it', async () => {
    const admin = await loginAs(env.app(Date.now), 'admin');
    const r = await admin.get('/api/probes');
    expect(imap.events.some((e) => e.includes(SECRET))).toBe(true);
    expect(r.text).not.toContain(SECRET);
    expect(r.text).not.toContain('password');
    const details = env.db.prepare(`SELECT group_concat(detail, ' | ') FROM probe_results`).pluck().get() as string;
    expect(details).toContain('***');
    expect(details).not.toContain(SECRET);
  });

  it('needs the manager role; a bad window is a 400', async () => {
    const app = env.app(Date.now);
    expect((await request(app).get('/api/probes')).status).toBe(401);
    expect((await request(app).get('/api/probes').set('Authorization', `Bearer ${WALL_TOKEN}`)).status).toBe(403);
    const manager = await loginAs(app, 'manager');
    for (const q of ['hours=0', 'hours=abc', 'hours=1.5', 'hours=721', 'window=3']) {
      const r = await manager.get(`/api/probes?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error, q).toBeTruthy();
    }
    expect((await manager.get('/api/probes?hours=1')).body.hours).toBe(1);
  });
});

describe('/metrics', () => {
  it('exports postino_probe_up per probe and service and the seconds the certificate has left', async () => {
    const r = await request(env.app(Date.now)).get('/metrics').set('Authorization', `Bearer ${WALL_TOKEN}`);
    expect(r.status).toBe(200);
    expect(r.text).toContain('postino_probe_up{probe="smtp-mx1",service="smtp-in"} 1');
    expect(r.text).toContain('postino_probe_up{probe="imap-proxy1",service="imap"} 0');
    expect(r.text).not.toMatch(/postino_probe_up\{probe="never-run"/);
    const left = /postino_tls_cert_remaining_seconds\{probe="smtp-mx1"\} ([\d.]+)/.exec(r.text);
    expect(Number(left?.[1])).toBeGreaterThan(89.99 * 86400);
    // with the probes' gauges too, promtool has nothing to say
    if (havePromtool) expect(promtoolFindings(r.text)).toBe('');
    expect(r.text).not.toContain(SECRET);
  });
});

function runCli(args: string[], extraEnv: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  // async: the responders live in this process, whose event loop must keep running
  return new Promise((ok) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'postino.mjs'), ...args], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1', ...extraEnv } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => ok({ status, stdout, stderr }));
  });
}

describe('postino probe', () => {
  it('--once --json runs each probe once, prints the results and stores them', async () => {
    const file = join(env.dir, 'probe.yml');
    writeFileSync(
      file,
      [
        'demo: false',
        'probes:',
        `  - {name: imap-a, type: imap, host: imap1.unipi.it, target: "${imap.target}", tls: starttls, tls_ca_file: "${cert.certPath}", login: {user: probe, password_env: POSTINO_TEST_PW}}`,
        `  - {name: smtp-a, type: smtp, host: mx1.unipi.it, target: "${smtp.target}"}`,
      ].join('\n') + '\n',
    );
    const dbPath = join(env.dir, 'cli.db');
    const r = await runCli(['probe', '--once', '--json', '--config', file, '--db', dbPath], { POSTINO_TEST_PW: SECRET });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { results: Array<{ probe: string; ok: boolean; tls: string | null }> };
    expect(out.results.map((x) => [x.probe, x.ok])).toEqual([
      ['imap-a', true],
      ['smtp-a', true],
    ]);
    expect(out.results[0]!.tls).toMatch(/^TLSv1/);
    expect(r.stdout).not.toContain(SECRET);
    const { openDb } = await import('../../core/db/open');
    const db = openDb(dbPath);
    try {
      expect(db.prepare(`SELECT probe, ok FROM probe_results ORDER BY probe`).all()).toEqual([
        { probe: 'imap-a', ok: 1 },
        { probe: 'smtp-a', ok: 1 },
      ]);
    } finally {
      db.close();
    }
    expect(readFileSync(file, 'utf8')).not.toContain(SECRET);
  });

  it('exits 1 with a message when no probes are configured, 2 on a usage error', async () => {
    const file = join(env.dir, 'empty.yml');
    writeFileSync(file, 'demo: false\n');
    const none = await runCli(['probe', '--once', '--config', file, '--no-store'], {});
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/no probes configured/);
    const bad = await runCli(['probe', '--bogus'], {});
    expect(bad.status).toBe(2);
  });
});
