// A self-signed certificate for 127.0.0.1 made at test time with openssl, valid for a known
// number of days, so that the probes' days-left reading can be checked against it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCert {
  dir: string;
  keyPath: string;
  certPath: string;
  key: string;
  cert: string;
  days: number;
  /** ms when openssl was run: notAfter is days after this (to the second) */
  madeAtMs: number;
}

export function makeTestCert(days: number): TestCert {
  const dir = mkdtempSync(join(tmpdir(), 'postino-cert-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  const madeAtMs = Date.now();
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', String(days), '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
    { stdio: 'pipe' },
  );
  return { dir, keyPath, certPath, key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8'), days, madeAtMs };
}
