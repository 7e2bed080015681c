// Small shared pieces of the message parsers: queue ids, `host[ip]:port`, reply codes and the
// reject reason classifier. Every regular expression carries a real sample beside it.
import type { RejectReasonClass } from './events';
import { isQid, QID_MAX_LENGTH } from './queue-id';

// Queue ids by Postfix's own definition (both forms): see queue-id.ts.
export { isQid } from './queue-id';

/** Splits `C05A07C2CA0: rest` into [qid, rest]; null when the first token is not a queue id. */
export function splitQid(msg: string): [string, string] | null {
  const c = msg.indexOf(': ');
  if (c < 6 || c > QID_MAX_LENGTH) return null;
  const q = msg.slice(0, c);
  return isQid(q) ? [q, msg.slice(c + 2)] : null;
}

// `mail.example.com[192.0.2.1]`, `unknown[2001:db8::1]:25`, `[192.0.2.1]:4321` (postscreen), `localhost[127.0.0.1]`
export const RE_CLIENT_SRC = String.raw`([^\s\[\]]*)\[([^\]]*)\](?::(\d+))?`;
const RE_HOSTPORT = new RegExp(`^${RE_CLIENT_SRC}$`);

export interface HostPort {
  host: string;
  ip: string;
  port: number | null;
}

/** `mbox1.unipi.it[10.1.0.11]:24` → {host, ip, port}; null for `none`, `local`, `private/dovecot-lmtp`. */
export function parseHostPort(s: string): HostPort | null {
  const m = RE_HOSTPORT.exec(s);
  if (!m) return null;
  return { host: m[1] ?? '', ip: m[2] ?? '', port: m[3] ? Number(m[3]) : null };
}

// `450 4.2.0 <rcpt>: Recipient address rejected: Greylisted`, `5.7.1 Blocked by SpamAssassin`, `554 Service unavailable`
// RE_REPLY = /^(?:(\d{3})[ -])?(?:([245]\.\d{1,3}\.\d{1,3}) )?([\s\S]*)$/, read by hand in splitReply

function isDigitAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** Index after 1-3 digits at i followed by `end`, as `\d{1,3}` then `end`; -1 otherwise. */
function upTo3DigitsThen(s: string, i: number, end: number): number {
  let j = i;
  while (j < i + 3 && isDigitAt(s, j)) j++;
  return j > i && s.charCodeAt(j) === end ? j : -1;
}

/** RE_REPLY, read by hand (it always matches: both prefixes are optional). */
export function splitReply(text: string): { code: number | null; enhanced: string | null; reply: string } {
  let i = 0;
  let code: number | null = null;
  // (?:(\d{3})[ -])?
  if (isDigitAt(text, 0) && isDigitAt(text, 1) && isDigitAt(text, 2)) {
    const c3 = text.charCodeAt(3);
    if (c3 === 32 || c3 === 45) {
      code = (text.charCodeAt(0) - 48) * 100 + (text.charCodeAt(1) - 48) * 10 + (text.charCodeAt(2) - 48);
      i = 4;
    }
  }
  // (?:([245]\.\d{1,3}\.\d{1,3}) )?
  let enhanced: string | null = null;
  const c = text.charCodeAt(i);
  if ((c === 50 || c === 52 || c === 53) && text.charCodeAt(i + 1) === 46) {
    const a = upTo3DigitsThen(text, i + 2, 46);
    const b = a < 0 ? -1 : upTo3DigitsThen(text, a + 1, 32);
    if (b >= 0) {
      enhanced = text.slice(i, b);
      i = b + 1;
    }
  }
  return { code, enhanced, reply: i === 0 ? text : text.slice(i) };
}

// Reason classes, checked in order against the reply text (lower case). Samples:
const REASONS: Array<[RejectReasonClass, RegExp]> = [
  // `451 4.7.1 Greylisting in action, please come back in 00:05:00`, `Recipient address rejected: Greylisted, see ...`
  ['greylist', /greylist/],
  // `Service unavailable; client [192.0.2.1] blocked using zen.spamhaus.org`
  ['dnsbl', /blocked using|listed (?:in|by|at|on) |\bdnsbl\b|\brbl\b|spamhaus|blacklisted|blocklisted|denylisted/],
  // `Recipient address rejected: Message rejected due to: SPF fail - not authorized`
  ['spf', /\bspf\b/],
  // `454 4.7.1 <spammer@domain.tld>: Relay access denied`
  ['relay-denied', /relay access denied|relaying denied|relay not permitted/],
  // `550 5.1.1 <x@y>: Recipient address rejected: User unknown in virtual mailbox table`
  ['unknown-recipient', /user unknown|unknown user|no such user|recipient address rejected: (?:undeliverable|unverified|user)|mailbox unavailable|does not exist|address lookup failed/],
  // `504 5.5.2 <WIN-9QL4SDRB93L>: Helo command rejected: need fully-qualified hostname`
  ['helo', /helo command rejected/],
  // `450 4.7.1 Client host rejected: cannot find your hostname, [192.0.2.1]`
  ['client-hostname', /cannot find your (?:reverse )?hostname|reverse hostname/],
  // `553 5.7.1 <a@b>: Sender address rejected: not logged in`
  ['sender', /sender address rejected/],
  // `552 5.3.4 Message size exceeds fixed limit`
  ['size', /size exceeds|too (?:big|large)|size limit/],
  // `530 5.7.0 Must issue a STARTTLS command first`
  ['tls', /starttls|\btls\b|encryption required/],
  // cleanup `header Subject: ...` / `Blocked by SpamAssassin`
  ['content', /\bspam|virus|malware|banned|content rejected|message content|attachment/],
  // `503 5.5.0 <a@b>: Recipient address rejected: Improper use of SMTP command pipelining`
  ['protocol', /pipelining|protocol|syntax|bare newline|non-smtp|improper use/],
];

const RE_GREYLIST_I = /greylist/i;

export function classifyReject(
  reply: string,
  opts: { code: number | null; enhanced: string | null; action: string; stage: string | null },
): RejectReasonClass {
  // Fast path for the most frequent class (postscreen/smtpd DNSBL rejects), same answer as the loop:
  // `blocked using` in the reply is in its lower case too, and no earlier class (greylist) matches.
  // (/greylist/i on the reply ⇔ /greylist/ on its lower case: no non-ASCII character lower-cases
  // to an ASCII letter of `greylist` without a combining mark after it.)
  if (reply.includes('blocked using') && !RE_GREYLIST_I.test(reply)) return 'dnsbl';
  const t = reply.toLowerCase();
  for (let i = 0; i < REASONS.length; i++) if (REASONS[i]![1].test(t)) return REASONS[i]![0];
  if (opts.stage === 'header' || opts.stage === 'body') return 'content';
  if (opts.action === 'milter-reject') return 'milter';
  if ((opts.code !== null && opts.code >= 400 && opts.code < 500) || opts.enhanced?.startsWith('4.')) return 'temporary';
  if (/policy|access denied|rejected|not allowed|prohibited|refused/.test(t)) return 'policy';
  return 'other';
}

/** Strips one pair of angle brackets: `<x@y>` → `x@y`. */
export function unangle(s: string): string {
  return s.length >= 2 && s.charCodeAt(0) === 60 && s.charCodeAt(s.length - 1) === 62 ? s.slice(1, -1) : s;
}

/** `key=value` lookup in a Dovecot/Postfix kv list: `user=<u>, method=PLAIN, rip=1.2.3.4` */
const kvCache = new Map<string, RegExp>();
export function kv(text: string, key: string): string | null {
  const fast = kvFast(text, key);
  if (fast !== KV_UNSURE) return fast;
  let re = kvCache.get(key);
  if (!re) {
    re = new RegExp(`(?:^|[\\s,(])${key}=(<[^>]*>|[^,\\s)]*)`);
    kvCache.set(key, re);
  }
  const m = re.exec(text);
  return m ? unangle(m[1] ?? '') : null;
}

/** kvFast could not decide (a non-ASCII character where `\s` matters): the regular expression decides. */
const KV_UNSURE = '\u0000unsure';
const kvNeedles = new Map<string, string>();

/** 1 for an ASCII `\s` character, 0 for another ASCII one, -1 for a non-ASCII one. */
function spaceClass(c: number): number {
  if (c >= 128) return -1;
  return c === 32 || (c >= 9 && c <= 13) ? 1 : 0;
}

/**
 * kv's regular expression `(?:^|[\s,(])KEY=(<[^>]*>|[^,\s)]*)` by indexOf: the leftmost `KEY=` at the
 * start or after a space, comma or parenthesis. Returns KV_UNSURE when a non-ASCII character could be
 * a `\s` one.
 */
function kvFast(text: string, key: string): string | null {
  let needle = kvNeedles.get(key);
  if (needle === undefined) {
    // keys with regular-expression syntax: leave them to the regular expression
    if (!/^[A-Za-z0-9_-]+$/.test(key)) return KV_UNSURE;
    needle = `${key}=`;
    kvNeedles.set(key, needle);
  }
  let idx = text.indexOf(needle);
  while (idx >= 0) {
    if (idx === 0) break;
    const p = text.charCodeAt(idx - 1);
    if (p === 44 /* , */ || p === 40 /* ( */) break;
    const sp = spaceClass(p);
    if (sp < 0) return KV_UNSURE;
    if (sp === 1) break;
    idx = text.indexOf(needle, idx + 1);
  }
  if (idx < 0) return null;
  const v = idx + needle.length;
  if (text.charCodeAt(v) === 60 /* < */) {
    const e = text.indexOf('>', v + 1);
    if (e >= 0) return text.slice(v + 1, e); // `<...>`, unangled
  }
  const n = text.length;
  let j = v;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c === 44 || c === 41 /* ) */) break;
    const sp = spaceClass(c);
    if (sp < 0) return KV_UNSURE;
    if (sp === 1) break;
    j++;
  }
  // no `>` after a leading `<` here, so unangle would not change it
  return text.slice(v, j);
}

export function num(s: string | null | undefined): number | null {
  if (s === null || s === undefined || s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}
