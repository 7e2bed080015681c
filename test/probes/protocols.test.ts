// Each protocol probe against a real responder on 127.0.0.1: the dialogue succeeds, STARTTLS
// is really negotiated (the server sees the commands after it inside TLS), implicit TLS works,
// the certificate's days left match the certificate made for the test, a wrong login fails
// and its password stays out of the detail, a hung server times out.
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { runProbe } from '../../server/probes/run-probe';
import { startResponder, type Responder } from './responders';
import { makeTestCert, type TestCert } from './test-cert';
import { probeConfig } from './probe-config';

const PASSWORD = 'S3cret "pw" \\ of-the-probe';
let cert: TestCert;
const started: Array<Responder | HttpServer> = [];

beforeAll(() => {
  cert = makeTestCert(400);
});
afterAll(() => rmSync(cert.dir, { recursive: true, force: true }));
afterEach(async () => {
  for (const s of started.splice(0)) {
    if ('events' in s) await s.stop();
    else await new Promise<void>((ok) => s.close(() => ok()));
  }
});

async function responder(o: Parameters<typeof startResponder>[0]): Promise<Responder> {
  const r = await startResponder(o);
  started.push(r);
  return r;
}

/** notAfter of the test certificate is `days` after openssl ran, so days left is just under it. */
function expectDaysLeft(v: number | null): void {
  expect(v).not.toBeNull();
  const elapsedDays = (Date.now() - cert.madeAtMs) / 86_400_000;
  expect(v!).toBeLessThanOrEqual(cert.days + 2 / 86_400 + 0.001);
  expect(v!).toBeGreaterThanOrEqual(cert.days - elapsedDays - 2 / 86_400 - 0.001);
}

describe('SMTP probe', () => {
  it('reads the banner, says EHLO and QUIT over plain SMTP', async () => {
    const s = await responder({ protocol: 'smtp' });
    const r = await runProbe(probeConfig({ type: 'smtp', target: s.target }));
    expect(r).toMatchObject({ ok: true, detail: '', service: 'smtp-in', host: 'mx1.unipi.it', tls: null, cert_days_left: null });
    expect(r.latency_ms).toBeGreaterThanOrEqual(0);
    expect(s.events).toEqual(['plain> EHLO postino-probe.invalid', 'plain> QUIT']);
  });

  it('negotiates STARTTLS, verifying the certificate, and says EHLO again inside TLS', async () => {
    const s = await responder({ protocol: 'smtp', tls: cert });
    const r = await runProbe(probeConfig({ type: 'smtp', target: s.target, tls: 'starttls', tls_ca_file: cert.certPath }));
    expect(r.detail).toBe('');
    expect(r.ok).toBe(true);
    expect(r.tls).toMatch(/^TLSv1\.[23]$/);
    expect(s.events).toEqual(['plain> EHLO postino-probe.invalid', 'plain> STARTTLS', `tls ${r.tls}`, 'tls> EHLO postino-probe.invalid', 'tls> QUIT']);
    expectDaysLeft(r.cert_days_left);
  });

  it('fails when STARTTLS is configured and the server does not offer it', async () => {
    const s = await responder({ protocol: 'smtp' });
    const r = await runProbe(probeConfig({ type: 'smtp', target: s.target, tls: 'starttls' }));
    expect(r).toMatchObject({ ok: false, latency_ms: null, detail: 'EHLO: the server does not offer STARTTLS' });
  });

  it('fails on a certificate it cannot verify, and passes it with tls_verify: false', async () => {
    const s = await responder({ protocol: 'smtp', tls: cert });
    const strict = await runProbe(probeConfig({ type: 'smtp', target: s.target, tls: 'starttls' }));
    expect(strict.ok).toBe(false);
    expect(strict.detail).toMatch(/self[- ]signed/i);
    const lax = await runProbe(probeConfig({ type: 'smtp', target: s.target, tls: 'starttls', tls_verify: false }));
    expect(lax.ok).toBe(true);
    expectDaysLeft(lax.cert_days_left);
  });

  it('speaks implicit TLS (port 465 style); check_cert: false stores no days', async () => {
    const s = await responder({ protocol: 'smtp', tls: cert, implicit: true });
    const r = await runProbe(probeConfig({ type: 'smtp', target: s.target, tls: 'implicit', tls_ca_file: cert.certPath, check_cert: false }));
    expect(r.ok).toBe(true);
    expect(r.cert_days_left).toBeNull();
    expect(s.events[0]).toMatch(/^tls TLSv1/);
    expect(s.events.slice(1)).toEqual(['tls> EHLO postino-probe.invalid', 'tls> QUIT']);
  });

  it('fails with connection refused when nothing listens', async () => {
    const s = await responder({ protocol: 'smtp' });
    await s.stop();
    const r = await runProbe(probeConfig({ type: 'smtp', target: s.target }));
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/^ECONNREFUSED/);
  });

  it('times out on a server that never answers, within its timeout', async () => {
    const s = await responder({ protocol: 'smtp', silent: true });
    const t0 = Date.now();
    const r = await runProbe(probeConfig({ type: 'smtp', target: s.target, timeout_s: 0.3 }));
    expect(r).toMatchObject({ ok: false, detail: 'timeout after 0.3 s' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(s.connections).toBe(1);
  });
});

describe('IMAP probe', () => {
  const users = { 'probe@unipi.it': PASSWORD };

  it('logs in after STARTTLS and logs out; the login travels inside TLS', async () => {
    const s = await responder({ protocol: 'imap', tls: cert, users });
    const r = await runProbe(probeConfig({ type: 'imap', target: s.target, tls: 'starttls', tls_ca_file: cert.certPath, login: { user: 'probe@unipi.it', password: PASSWORD } }));
    expect(r).toMatchObject({ ok: true, service: 'imap', detail: '' });
    expectDaysLeft(r.cert_days_left);
    expect(s.events.map((e) => e.replace(/"[^"]*(\\.[^"]*)*"$/, '"…"'))).toEqual(['plain> a1 STARTTLS', `tls ${r.tls}`, 'tls> a2 LOGIN "probe@unipi.it" "…"', 'tls> a3 LOGOUT']);
  });

  it('a wrong password fails, and the password is not in the detail even when the server quotes it', async () => {
    const s = await responder({ protocol: 'imap', users, echo: true });
    const wrong = 'not-the-Password-42';
    const r = await runProbe(probeConfig({ type: 'imap', target: s.target, login: { user: 'probe@unipi.it', password: wrong } }));
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/^LOGIN: NO \[AUTHENTICATIONFAILED\] Authentication failed\./);
    // the server did quote it (the redaction had something to do)
    expect(s.events.some((e) => e.includes(wrong))).toBe(true);
    expect(r.detail).not.toContain(wrong);
    expect(r.detail).toContain('***');
  });

  it('reads the password from an environment variable or a file', async () => {
    const s = await responder({ protocol: 'imap', users });
    const viaEnv = await runProbe(probeConfig({ type: 'imap', target: s.target, login: { user: 'probe@unipi.it', password_env: 'PROBE_PW' } }), { env: { PROBE_PW: PASSWORD } });
    expect(viaEnv.ok).toBe(true);
    const missing = await runProbe(probeConfig({ type: 'imap', target: s.target, login: { user: 'probe@unipi.it', password_env: 'PROBE_PW' } }), { env: {} });
    expect(missing).toMatchObject({ ok: false, detail: 'login: environment variable PROBE_PW is not set' });
    const file = join(cert.dir, 'pw');
    writeFileSync(file, PASSWORD + '\n', { mode: 0o600 });
    const viaFile = await runProbe(probeConfig({ type: 'imap', target: s.target, login: { user: 'probe@unipi.it', password_file: file } }));
    expect(viaFile.ok).toBe(true);
  });

  it('fails on a greeting that is not an IMAP one', async () => {
    const s = await responder({ protocol: 'pop3' }); // greets with +OK, not an IMAP greeting
    const r = await runProbe(probeConfig({ type: 'imap', target: s.target }));
    expect(r).toMatchObject({ ok: false, detail: 'greeting: +OK Dovecot ready.' });
  });
});

describe('POP3 probe', () => {
  const users = { probe: PASSWORD };

  it('USER/PASS after STLS, then QUIT', async () => {
    const s = await responder({ protocol: 'pop3', tls: cert, users });
    const r = await runProbe(probeConfig({ type: 'pop3', target: s.target, tls: 'starttls', tls_ca_file: cert.certPath, login: { user: 'probe', password: PASSWORD } }));
    expect(r).toMatchObject({ ok: true, service: 'pop3' });
    expect(s.events).toEqual(['plain> STLS', `tls ${r.tls}`, 'tls> USER probe', `tls> PASS ${PASSWORD}`, 'tls> QUIT']);
  });

  it('a wrong password fails without showing it', async () => {
    const s = await responder({ protocol: 'pop3', users, echo: true });
    const r = await runProbe(probeConfig({ type: 'pop3', target: s.target, login: { user: 'probe', password: 'wrong-pw-123' } }));
    expect(r.ok).toBe(false);
    expect(r.detail).toBe('PASS: -ERR [AUTH] Authentication failed. (PASS ***)');
  });

  it('implicit TLS (port 995 style)', async () => {
    const s = await responder({ protocol: 'pop3', tls: cert, implicit: true });
    const r = await runProbe(probeConfig({ type: 'pop3', target: s.target, tls: 'implicit', tls_ca_file: cert.certPath }));
    expect(r.ok).toBe(true);
    expectDaysLeft(r.cert_days_left);
  });
});

describe('HTTP probe', () => {
  async function web(status: number, secure: boolean): Promise<string> {
    const handler = (_req: unknown, res: import('node:http').ServerResponse): void => {
      res.statusCode = status;
      res.end('webmail');
    };
    const server = secure ? createHttpsServer({ key: cert.key, cert: cert.cert }, handler) : createHttpServer(handler);
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
    started.push(server);
    return `${secure ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  }

  it('a status below 400 is up (a redirect to the login page too)', async () => {
    for (const status of [200, 302]) {
      const r = await runProbe(probeConfig({ type: 'http', host: 'webmail.unipi.it', target: await web(status, false) }));
      expect(r, String(status)).toMatchObject({ ok: true, service: 'webmail' });
    }
  });

  it('a 5xx is down', async () => {
    const r = await runProbe(probeConfig({ type: 'http', host: 'webmail.unipi.it', target: await web(503, false) }));
    expect(r).toMatchObject({ ok: false, detail: 'GET: HTTP 503 Service Unavailable' });
  });

  it('HTTPS reads the certificate days left', async () => {
    const r = await runProbe(probeConfig({ type: 'http', host: 'webmail.unipi.it', target: await web(200, true), tls_ca_file: cert.certPath }));
    expect(r.ok).toBe(true);
    expectDaysLeft(r.cert_days_left);
  });
});
