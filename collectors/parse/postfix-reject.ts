// Rejects of smtpd, postscreen and cleanup (NOQUEUE/QUEUEID: reject, milter-reject, header and
// body checks, before-queue proxy), and the `; from=<..> to=<..>` trailer they end with.
import type { Envelope, MailEvent, RejectAction } from './events';
import { classifyReject, splitReply, kv } from './patterns';
import { chooseSmtpdTrailer } from './trailer-choice';
import { type Base, digitsEnd } from './postfix-common';

// `NOQUEUE: reject: RCPT from unknown[192.168.1.1]: 454 4.7.1 <spammer@domain.tld>: Relay access denied; from=<spammer@domain.tld> to=<spammer@domain.tld> proto=ESMTP helo=<WIN-CLJ1B0GQ6JP>`
// `NOQUEUE: reject: RCPT from [192.0.2.10]:51234: 550 5.7.1 Service unavailable; client [192.0.2.10] blocked using zen.spamhaus.org; from=<a@b>, to=<c@d>, proto=ESMTP, helo=<x>` (postscreen)
// `1D8CC1CA0A7F: milter-reject: DATA from 66-220-155-151.mail-mail.facebook.com[192.0.2.151]: 550 5.7.1 Command rejected; from=<..> to=<..> proto=ESMTP helo=<..>`
// `4104E3D: milter-reject: END-OF-MESSAGE from 061238241086.static.ctinets.com[61.238.241.86]: 5.7.1 Blocked by SpamAssassin; from=<..> to=<..> proto=ESMTP helo=<..>`
// `NOQUEUE: filter: RCPT from unknown[85.25.255.255]: <mail@sender.com>: Sender address triggers FILTER smtp-amavis:[127.0.0.1]:10024; from=<..> to=<..> proto=ESMTP helo=<..>`
export const RE_REJECT =
  /^(NOQUEUE|[0-9A-Za-z]{6,24}): (reject|milter-reject|reject_warning|filter|hold|discard|redirect|milter-hold|milter-discard): ([A-Za-z][A-Za-z-]*) from ([^\s\[\]]*)\[([^\]]*)\](?::\d+)?: ([\s\S]*)$/;

// before-queue content filter: `proxy-reject: END-OF-MESSAGE: 554 5.7.0 Reject, contact postmaster@example.com, id=31619-02 - spam; from=<> to=<user2@example2.com> proto=SMTP helo=<17.33.12.53>`
// `proxy-accept: END-OF-MESSAGE: 250 2.0.0 Ok: queued as 7949396087; from=<..> to=<..> proto=ESMTP helo=<..>`
export const RE_PROXY_REJECT = /^(?:NOQUEUE: |[0-9A-Za-z]{6,24}: )?proxy-(reject|accept): ([A-Z-]+): ([\s\S]*)$/;

// cleanup header/body checks (after the queue id):
// `reject: header Subject: buy now from mail.example.com[192.0.2.1]; from=<a@b> to=<c@d> proto=ESMTP helo=<x>: 550 5.7.1 No spam`
// `warning: header Subject: Manquants LASTNAME GB Nouvelle version from unknown[10.1.1.1]; from=<foo@corp.com> to=<first.last@corp.com> proto=ESMTP helo=<SUBDOMAIN.CORP.COM>`
// `milter-header-redirect: header X-Spam-Status: Yes, score=39.3 ... from host[61.238.241.86]; from=<..> to=<..> proto=ESMTP helo=<..>`
export const RE_CHECK = /^(reject|warning|hold|discard|redirect|filter|info|prepend|replace|milter-[a-z-]+): (header|body|mime-header|nested-header) ([\s\S]*)$/;

// the part before `; from=<`: `Subject: xxx from host[ip]` / `... from local`
export const RE_CHECK_CLIENT = / from (?:([^\s\[\]]*)\[([^\]]*)\](?::\d+)?|local)$/;

// the trailer: `from=<a@b> to=<c@d> proto=ESMTP helo=<x>: 550 5.7.1 text` (postscreen puts commas between)
const RE_TRAILER = /^from=<([^>]*)>,?(?: to=<([^>]*)>,?)?(?: proto=([^\s:,]+),?)?(?: helo=<([\s\S]*?)>)?(?::\s?([\s\S]*))?$/;

export const REJECT_ACTIONS: Record<string, RejectAction> = {
  reject: 'reject',
  'milter-reject': 'milter-reject',
  reject_warning: 'warn',
  warning: 'warn',
  filter: 'filter',
  hold: 'hold',
  'milter-hold': 'hold',
  discard: 'discard',
  'milter-discard': 'discard',
  redirect: 'redirect',
  'milter-header-redirect': 'redirect',
};

/** Splits `reply text; from=<a> to=<b> proto=ESMTP helo=<h>` at the last `; from=<`. */
type Trailer = { reply: string; from: string | null; to: string | null; helo: string | null; after: string | null };

/** Last index of `; from=<` in rest (forward searches: V8's lastIndexOf is a slow backward scan). */
function lastTrailerStart(rest: string): number {
  let idx = rest.indexOf('; from=<');
  if (idx < 0) return -1;
  for (;;) {
    const next = rest.indexOf('; from=<', idx + 1);
    if (next < 0) return idx;
    idx = next;
  }
}

/** True for an ASCII `\s` character; -1 when c is not ASCII (the caller leaves it to the regex). */
function asciiSpace(c: number): number {
  if (c >= 128) return -1;
  return c === 32 || (c >= 9 && c <= 13) ? 1 : 0;
}

/**
 * RE_TRAILER on rest from i (`from=<a> to=<b> proto=ESMTP helo=<h>: after`), following the regular
 * expression's first (greedy) choices; null when that path does not reach the end — the regular
 * expression then decides, backtracking included.
 */
function trailerFast(rest: string, i: number, reply: string): Trailer | null {
  const n = rest.length;
  // from=<([^>]*)>,?
  const f = rest.indexOf('>', i + 6);
  if (f < 0) return null;
  const from = rest.slice(i + 6, f);
  let p = f + 1;
  if (rest.charCodeAt(p) === 44) p++;
  // (?: to=<([^>]*)>,?)?
  let to: string | null = null;
  if (rest.startsWith(' to=<', p)) {
    const e = rest.indexOf('>', p + 5);
    if (e >= 0) {
      to = rest.slice(p + 5, e);
      p = e + 1;
      if (rest.charCodeAt(p) === 44) p++;
    }
  }
  // (?: proto=([^\s:,]+),?)?
  if (rest.startsWith(' proto=', p)) {
    let q = p + 7;
    while (q < n) {
      const c = rest.charCodeAt(q);
      if (c === 58 || c === 44) break;
      const sp = asciiSpace(c);
      if (sp < 0) return null;
      if (sp === 1) break;
      q++;
    }
    if (q > p + 7) {
      p = q;
      if (rest.charCodeAt(p) === 44) p++;
    }
  }
  // (?: helo=<([^>]*)>)?
  let helo: string | null = null;
  if (rest.startsWith(' helo=<', p)) {
    // A HELO is client text and may itself contain '>' (`helo=<<script>x</script>>`): when it is
    // the last field it runs to the final '>'; otherwise to the '>' that precedes `: reply`.
    let e = rest.charCodeAt(n - 1) === 62 ? n - 1 : rest.indexOf('>:', p + 7);
    if (e < p + 7) e = rest.indexOf('>', p + 7);
    if (e >= 0) {
      helo = rest.slice(p + 7, e);
      p = e + 1;
    }
  }
  // (?::\s?([\s\S]*))?$
  let after: string | null = null;
  if (p < n) {
    if (rest.charCodeAt(p) !== 58) return null;
    p++;
    if (p < n) {
      const sp = asciiSpace(rest.charCodeAt(p));
      if (sp < 0) return null;
      if (sp === 1) p++;
    }
    after = rest.slice(p);
  }
  return { reply, from, to, helo, after };
}

/** Splits `reply text; from=<a> to=<b> proto=ESMTP helo=<h>` at Postfix's own trailer (trailer-choice.ts). */
export function splitTrailer(rest: string): Trailer {
  const t = chooseSmtpdTrailer(rest, (idx) => trailerAt(rest, idx));
  if (t) return t;
  const idx = lastTrailerStart(rest);
  if (idx < 0) return { reply: rest, from: null, to: null, helo: null, after: null };
  const tail = rest.slice(idx + 2);
  return { reply: rest.slice(0, idx), from: kv(tail, 'from'), to: kv(tail, 'to'), helo: kv(tail, 'helo'), after: null };
}

/** The trailer read from the `; from=<` at idx; null when it does not follow Postfix's shape. */
export function trailerAt(rest: string, idx: number): Trailer | null {
  const reply = rest.slice(0, idx);
  const fast = trailerFast(rest, idx + 2, reply);
  if (fast) return fast;
  const m = RE_TRAILER.exec(rest.slice(idx + 2));
  if (!m) return null;
  return { reply, from: m[1] ?? null, to: m[2] ?? null, helo: m[4] ?? null, after: m[5] ?? null };
}

export function reject(
  b: Base,
  action: RejectAction,
  qid: string | null,
  stage: string | null,
  clientHost: string | null,
  clientIp: string | null,
  replyText: string,
  from: string | null,
  to: string | null,
  helo: string | null,
): MailEvent {
  const { code, enhanced, reply } = splitReply(replyText);
  return {
    at: b.at, host: b.host, program: b.program, pid: b.pid,
    kind: 'postfix.reject',
    action,
    qid,
    stage,
    clientHost,
    clientIp,
    code,
    enhanced,
    reply,
    reasonClass: classifyReject(reply, { code, enhanced, action, stage }),
    from,
    to,
    helo,
    greylist: /greylist/i.test(reply),
  };
}

/** The actions RE_REJECT accepts. */
const REJECT_ACTION_WORDS = new Set(['reject', 'milter-reject', 'reject_warning', 'filter', 'hold', 'discard', 'redirect', 'milter-hold', 'milter-discard']);

/**
 * RE_REJECT for `NOQUEUE: ACTION: STAGE from host[ip](:port)?: rest`, the shape of every smtpd and
 * postscreen reject; null when unsure.
 */
export function noqueueRejectFast(e: Envelope, msg: string): MailEvent | null {
  // msg starts with `NOQUEUE: `
  let colon: number;
  let action: string;
  if (msg.startsWith('reject: ', 9)) {
    colon = 15;
    action = 'reject';
  } else {
    colon = msg.indexOf(':', 9);
    if (colon < 0 || msg.charCodeAt(colon + 1) !== 32) return null;
    action = msg.slice(9, colon);
    if (!REJECT_ACTION_WORDS.has(action)) return null;
  }
  // stage: [A-Za-z][A-Za-z-]*
  const s0 = colon + 2;
  let k = s0;
  for (;;) {
    const c = msg.charCodeAt(k);
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c === 45 && k > s0))) break;
    k++;
  }
  if (k === s0 || !msg.startsWith(' from ', k)) return null;
  const stage = msg.slice(s0, k);
  // host: [^\s\[\]]* then `[`; plain ASCII only (anything else: the regular expression decides)
  const h0 = k + 6;
  let h = h0;
  for (;;) {
    const c = msg.charCodeAt(h);
    if (c === 91 /* [ */) break;
    if (!(c > 32 && c < 127) || c === 93) return null;
    h++;
  }
  const close = msg.indexOf(']', h + 1);
  if (close < 0) return null;
  let r = close + 1;
  if (msg.charCodeAt(r) === 58 && msg.charCodeAt(r + 1) >= 48 && msg.charCodeAt(r + 1) <= 57) r = digitsEnd(msg, r + 1);
  if (msg.charCodeAt(r) !== 58 || msg.charCodeAt(r + 1) !== 32) return null;
  const t = splitTrailer(msg.slice(r + 2));
  return reject(e, REJECT_ACTIONS[action]!, null, stage, h > h0 ? msg.slice(h0, h) : null, msg.slice(h + 1, close), t.reply, t.from, t.to, t.helo);
}
