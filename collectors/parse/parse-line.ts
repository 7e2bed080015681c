// One raw line → one typed event: envelope, then a dispatch on the program.
import type { Envelope, MailEvent } from './events';
import type { ParseContext } from './index';
import { parseEnvelope } from './envelope';
import { parsePostfix } from './postfix';
import { parseAmavis } from './amavis';
import { parseDovecot } from './dovecot';
import { parseGreylist } from './greylist';

/** Programs whose messages the Dovecot parser reads (besides `dovecot` itself). */
const DOVECOT_PROGRAMS = new Set([
  'dovecot', 'dovecot-auth', 'imap-login', 'pop3-login', 'managesieve-login', 'submission-login',
  'imap', 'pop3', 'lmtp', 'lda', 'deliver', 'auth', 'auth-worker', 'managesieve', 'submission',
]);
const AMAVIS_PROGRAMS = new Set(['amavis', 'amavisd', 'amavisd-new']);

function unparsed(env: Envelope): MailEvent {
  return { at: env.at, host: env.host, program: env.program, pid: env.pid, kind: 'unparsed', reason: 'message' };
}

/** The message parser for an envelope; unrecognised messages become `unparsed` (reason `message`). */
// syslog repeat compression: `message repeated 2 times: [ C71221E1E6C: to=<admin@...>, relay=none, ... status=bounced (...)]`
const RE_REPEATED = /^message repeated \d+ times: \[ ?([\s\S]*)\]$/;

export function parseMessage(env: Envelope): MailEvent {
  try {
    const rep = RE_REPEATED.exec(env.message);
    if (rep) env = { ...env, message: rep[1]! };
    const p = env.program;
    if (p.startsWith('postfix')) {
      // `postfix/smtpd`, `postfix-out/smtpd`, `postfix/submission/smtpd`, `postfix/smtp-amavis/smtp` → the last component
      const slash = p.lastIndexOf('/');
      if (slash < 0) return parsePostfix(env, p) ?? unparsed(env);
      return parsePostfix(env, p.slice(slash + 1)) ?? unparsed(env);
    }
    // `/usr/sbin/amavisd-new` → `amavisd-new`
    const name = p.slice(p.lastIndexOf('/') + 1);
    if (AMAVIS_PROGRAMS.has(name)) return parseAmavis(env) ?? unparsed(env);
    if (DOVECOT_PROGRAMS.has(name)) return parseDovecot(env) ?? unparsed(env);
    if (name === 'milter-greylist') return parseGreylist(env);
    return unparsed(env);
  } catch {
    return unparsed(env);
  }
}

/** A raw line → its event. Never throws. */
export function parseLine(line: string, ctx: ParseContext): MailEvent {
  const env = parseEnvelope(line, ctx);
  if (!env) return { kind: 'unparsed', reason: 'envelope', program: '(none)', host: '', at: 0, pid: null };
  return parseMessage(env);
}
