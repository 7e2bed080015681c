// The probe account's password: resolved at run time (so a rotated file or variable is picked
// up without a restart) and scrubbed from every text a probe produces.
import { readFileSync } from 'node:fs';
import type { ProbeLogin } from '../../core/config/probes-schema';
import { ProbeFailure } from './protocol';

export function resolvePassword(login: ProbeLogin | undefined, env: NodeJS.ProcessEnv = process.env): string | null {
  if (!login) return null;
  if (login.password !== undefined) return login.password;
  if (login.password_env !== undefined) {
    const v = env[login.password_env];
    if (v === undefined || v === '') throw new ProbeFailure(`login: environment variable ${login.password_env} is not set`);
    return v;
  }
  if (login.password_file !== undefined) {
    let text: string;
    try {
      text = readFileSync(login.password_file, 'utf8');
    } catch (e) {
      throw new ProbeFailure(`login: cannot read password_file: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    const pw = text.replace(/\r?\n$/, '');
    if (!pw) throw new ProbeFailure('login: password_file is empty');
    return pw;
  }
  return null;
}

/** Replaces every occurrence of each secret (and its IMAP-quoted form) with `***`. */
export function redact(text: string, secrets: ReadonlyArray<string | null | undefined>): string {
  let out = text;
  for (const s of secrets) {
    if (!s) continue;
    for (const form of new Set([s, s.replace(/[\\"]/g, (c) => '\\' + c)])) out = out.split(form).join('***');
  }
  return out;
}
