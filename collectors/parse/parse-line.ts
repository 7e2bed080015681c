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

/** A line of a program none of our parsers reads: counted apart from `unparsed` (METRICS.md). */
function other(env: Envelope): MailEvent {
  return { at: env.at, host: env.host, program: env.program, pid: env.pid, kind: 'other' };
}

function unparsed(env: Envelope): MailEvent {
  return { at: env.at, host: env.host, program: env.program, pid: env.pid, kind: 'unparsed', reason: 'message' };
}

// syslog repeat compression: `message repeated 2 times: [ C71221E1E6C: to=<admin@...>, relay=none, ... status=bounced (...)]`
const RE_REPEATED = /^message repeated \d+ times: \[ ?([\s\S]*)\]$/;

/** Which message parser reads a program, and (postfix) the service name passed to it. */
const enum Route {
  Postfix,
  Amavis,
  Dovecot,
  Greylist,
  None,
}
interface Target {
  route: Route;
  /** postfix: the last component of the program (`postfix/submission/smtpd` → `smtpd`) */
  service: string;
}

/** program → target: the same few programs repeat on every line. */
const targets = new Map<string, Target>();

// the last program looked up (programs are interned by the envelope parser: usually the same object)
let lastProgram = '';
let lastTarget: Target = { route: Route.None, service: '' };

function targetOf(p: string): Target {
  if (p === lastProgram) return lastTarget;
  let t = targets.get(p);
  if (t !== undefined) {
    lastProgram = p;
    lastTarget = t;
    return t;
  }
  if (p.startsWith('postfix')) {
    // `postfix/smtpd`, `postfix-out/smtpd`, `postfix/submission/smtpd`, `postfix/smtp-amavis/smtp` → the last component
    const slash = p.lastIndexOf('/');
    t = { route: Route.Postfix, service: slash < 0 ? p : p.slice(slash + 1) };
  } else {
    // `/usr/sbin/amavisd-new` → `amavisd-new`
    const name = p.slice(p.lastIndexOf('/') + 1);
    const route = AMAVIS_PROGRAMS.has(name) ? Route.Amavis : DOVECOT_PROGRAMS.has(name) ? Route.Dovecot : name === 'milter-greylist' ? Route.Greylist : Route.None;
    t = { route, service: '' };
  }
  if (targets.size > 10_000) targets.clear();
  targets.set(p, t);
  lastProgram = p;
  lastTarget = t;
  return t;
}

/**
 * Whether postino reads the program's lines (Postfix and its instances, Amavis, Dovecot,
 * milter-greylist): a line of such a program that no parser recognises is `unparsed`; a line
 * of any other program (cron, sshd, kernel, systemd ...) is `other`.
 */
export function readsProgram(program: string): boolean {
  return targetOf(program).route !== Route.None;
}

/**
 * The message parser for an envelope; unrecognised messages of the programs we read become
 * `unparsed` (reason `message`), lines of every other program `other`.
 */
export function parseMessage(env: Envelope): MailEvent {
  try {
    // `m` first: the regular expression only runs on lines that can be repeat lines
    if (env.message.charCodeAt(0) === 109 /* m */ && env.message.startsWith('message repeated ')) {
      const rep = RE_REPEATED.exec(env.message);
      if (rep) env = { at: env.at, host: env.host, program: env.program, pid: env.pid, message: rep[1]! };
    }
    const t = targetOf(env.program);
    switch (t.route) {
      case Route.Postfix:
        return parsePostfix(env, t.service) ?? unparsed(env);
      case Route.Amavis:
        return parseAmavis(env) ?? unparsed(env);
      case Route.Dovecot:
        return parseDovecot(env) ?? unparsed(env);
      case Route.Greylist:
        return parseGreylist(env);
      default:
        // no program name (RFC 5424 `-`): nothing says it is not a mail daemon's line
        return env.program === '' ? unparsed(env) : other(env);
    }
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
