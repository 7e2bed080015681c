// Postfix messages (postscreen, smtpd, cleanup, qmgr, delivery agents, master, anvil, dnsblog ...).
// Pure: the text after `postfix*/service[pid]: ` in, one event (or null = not recognised) out.
// Most shapes are unique to one service, so recognition is by content; the service only names
// the delivery agent and gates the few ambiguous shapes (anvil statistics).
import type { DeliveryStatus, Envelope, MailEvent, PostscreenViolation, RejectAction } from './events';
import { classifyReject, isQid, num, parseHostPort, splitQid, splitReply, unangle, kv } from './patterns';
import { chooseCleanupTrailer, chooseSmtpdTrailer } from './trailer-choice';

type Base = { at: number; host: string; program: string; pid: number | null };

// ---- postscreen ------------------------------------------------------------------------------
// `CONNECT from [192.0.2.10]:51234 to [192.0.2.1]:25`
const RE_PS_CONNECT = /^CONNECT from \[([^\]]+)\]:(\d+) to /;
// `PASS OLD [209.85.208.175]:35636`, `PASS NEW [..]:..`, `WHITELISTED [..]:..`, `ALLOWLISTED [..]:..`
const RE_PS_PASS = /^(PASS OLD|PASS NEW|WHITELISTED|ALLOWLISTED) \[([^\]]+)\]:(\d+)/;
// `DNSBL rank 3 for [192.0.2.10]:51234`
const RE_PS_DNSBL = /^DNSBL rank (\d+) for \[([^\]]+)\]:(\d+)/;
// `PREGREET 11 after 0.1 from [192.0.2.10]:51234: EHLO example.com\r\n`
// `HANGUP after 0.5 from [192.0.2.10]:51234 in tests after SMTP handshake`
// `COMMAND PIPELINING from [192.0.2.10]:51234 after RCPT: ...`, `NON-SMTP COMMAND from [..]:.. after CONNECT: GET / HTTP/1.1`
// `BARE NEWLINE from [192.0.2.10]:51234 after DATA`, `COMMAND COUNT LIMIT from [..]:.. after ..`
const RE_PS_VIOLATION =
  /^(PREGREET|HANGUP|COMMAND PIPELINING|COMMAND COUNT LIMIT|COMMAND TIME LIMIT|COMMAND LENGTH LIMIT|NON-SMTP COMMAND|BARE NEWLINE)(?: \d+)?(?: after [\d.]+)? from \[([^\]]+)\]:(\d+)(?::? ([\s\S]*))?$/;
// `BLACKLISTED [192.0.2.10]:51234`, `DENYLISTED [..]:..`
const RE_PS_DENY = /^(?:BLACKLISTED|DENYLISTED) \[([^\]]+)\]:(\d+)/;
// `DISCONNECT [192.0.2.10]:51234`
const RE_PS_DISCONNECT = /^DISCONNECT \[([^\]]+)\]:(\d+)/;
// `WHITELIST VETO [..]:..`, `cache btree:/var/lib/postfix/psc_cache full cleanup: retained=0 dropped=0 entries`
const RE_PS_NOISE = /^(?:WHITELIST VETO|ALLOWLIST VETO|cache \S+ full cleanup|NOQUEUE: |reject: |[A-Z][A-Z -]+ \[)/;

export const VIOLATIONS: Record<string, PostscreenViolation> = {
  PREGREET: 'pregreet',
  HANGUP: 'hangup',
  'COMMAND PIPELINING': 'command-pipelining',
  'COMMAND COUNT LIMIT': 'command-count-limit',
  'COMMAND TIME LIMIT': 'command-time-limit',
  'COMMAND LENGTH LIMIT': 'command-length-limit',
  'NON-SMTP COMMAND': 'non-smtp-command',
  'BARE NEWLINE': 'bare-newline',
};

// ---- rejects -----------------------------------------------------------------------------------
// `NOQUEUE: reject: RCPT from unknown[192.168.1.1]: 454 4.7.1 <spammer@domain.tld>: Relay access denied; from=<spammer@domain.tld> to=<spammer@domain.tld> proto=ESMTP helo=<WIN-CLJ1B0GQ6JP>`
// `NOQUEUE: reject: RCPT from [192.0.2.10]:51234: 550 5.7.1 Service unavailable; client [192.0.2.10] blocked using zen.spamhaus.org; from=<a@b>, to=<c@d>, proto=ESMTP, helo=<x>` (postscreen)
// `1D8CC1CA0A7F: milter-reject: DATA from 66-220-155-151.mail-mail.facebook.com[192.0.2.151]: 550 5.7.1 Command rejected; from=<..> to=<..> proto=ESMTP helo=<..>`
// `4104E3D: milter-reject: END-OF-MESSAGE from 061238241086.static.ctinets.com[61.238.241.86]: 5.7.1 Blocked by SpamAssassin; from=<..> to=<..> proto=ESMTP helo=<..>`
// `NOQUEUE: filter: RCPT from unknown[85.25.255.255]: <mail@sender.com>: Sender address triggers FILTER smtp-amavis:[127.0.0.1]:10024; from=<..> to=<..> proto=ESMTP helo=<..>`
const RE_REJECT =
  /^(NOQUEUE|[0-9A-Za-z]{6,24}): (reject|milter-reject|reject_warning|filter|hold|discard|redirect|milter-hold|milter-discard): ([A-Za-z][A-Za-z-]*) from ([^\s\[\]]*)\[([^\]]*)\](?::\d+)?: ([\s\S]*)$/;
// before-queue content filter: `proxy-reject: END-OF-MESSAGE: 554 5.7.0 Reject, contact postmaster@example.com, id=31619-02 - spam; from=<> to=<user2@example2.com> proto=SMTP helo=<17.33.12.53>`
// `proxy-accept: END-OF-MESSAGE: 250 2.0.0 Ok: queued as 7949396087; from=<..> to=<..> proto=ESMTP helo=<..>`
const RE_PROXY_REJECT = /^(?:NOQUEUE: |[0-9A-Za-z]{6,24}: )?proxy-(reject|accept): ([A-Z-]+): ([\s\S]*)$/;
// cleanup header/body checks (after the queue id):
// `reject: header Subject: buy now from mail.example.com[192.0.2.1]; from=<a@b> to=<c@d> proto=ESMTP helo=<x>: 550 5.7.1 No spam`
// `warning: header Subject: Manquants LASTNAME GB Nouvelle version from unknown[10.1.1.1]; from=<foo@corp.com> to=<first.last@corp.com> proto=ESMTP helo=<SUBDOMAIN.CORP.COM>`
// `milter-header-redirect: header X-Spam-Status: Yes, score=39.3 ... from host[61.238.241.86]; from=<..> to=<..> proto=ESMTP helo=<..>`
const RE_CHECK = /^(reject|warning|hold|discard|redirect|filter|info|prepend|replace|milter-[a-z-]+): (header|body|mime-header|nested-header) ([\s\S]*)$/;
// the part before `; from=<`: `Subject: xxx from host[ip]` / `... from local`
const RE_CHECK_CLIENT = / from (?:([^\s\[\]]*)\[([^\]]*)\](?::\d+)?|local)$/;
// the trailer: `from=<a@b> to=<c@d> proto=ESMTP helo=<x>: 550 5.7.1 text` (postscreen puts commas between)
const RE_TRAILER = /^from=<([^>]*)>,?(?: to=<([^>]*)>,?)?(?: proto=([^\s:,]+),?)?(?: helo=<([\s\S]*?)>)?(?::\s?([\s\S]*))?$/;

const REJECT_ACTIONS: Record<string, RejectAction> = {
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

// ---- smtpd -------------------------------------------------------------------------------------
// `connect from localhost[127.0.0.1]`
const RE_CONNECT = /^connect from ([^\s\[\]]*)\[([^\]]*)\](?::\d+)?$/;
// `disconnect from unknown[1.1.1.1] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4`
const RE_DISCONNECT = /^disconnect from ([^\s\[\]]*)\[([^\]]*)\](?::\d+)?(?: ([\s\S]*))?$/;
// `client=COMPUTER.sub.corp.com[1.1.1.1]`, `client=host[ip], sasl_method=PLAIN, sasl_username=u`, `client=localhost[127.0.0.1], orig_queue_id=..., orig_client=...`
const RE_CLIENT = /^client=([^\s\[\]]*)\[([^\]]*)\](?::\d+)?(?:, ([\s\S]*))?$/;
// `warning: unknown[192.0.2.237]:55729: SASL LOGIN authentication failed: authentication failure`
// `warning: mail.foldsandwalker.com[98.191.84.74]: SASL Plain authentication failed:`
// `warning: host[ip]: SASL LOGIN authentication failed: UGFzc3dvcmQ6, sasl_username=user@example.com`
const RE_SASL = /^warning: ([^\s\[\]]*)\[([^\]]*)\](?::\d+)?: SASL (\S+) authentication failed:?(?: ([\s\S]*?))?(?:, sasl_username=(\S*))?$/;
// `lost connection after DATA (0 bytes) from unknown[192.0.2.1]`, `timeout after END-OF-MESSAGE from host[ip]`, `too many errors after RCPT from host[ip]`
const RE_LOST = /^(?:NOQUEUE: )?(lost connection|timeout|too many errors) after ([A-Za-z-]+)(?: \([^)]*\))? from ([^\s\[\]]*)\[([^\]]*)\]/;

// ---- queue ------------------------------------------------------------------------------------
// `message-id=<1404025803.53afbbcb667b9@swift.generated>`, `resent-message-id=<..>`, `message-id=<>`
const RE_MESSAGE_ID = /^(resent-)?message-id=\s?([\s\S]*)$/;
// `uid=1000 from=<root>`
const RE_PICKUP = /^uid=(\d+) from=<([^>]*)>/;
// `sender=<root>, uid=0` is not a pickup shape; pickup always writes uid first
// `from=<no-reply@grooveshark.com>, size=26493, nrcpt=1 (queue active)`
const RE_QMGR_FROM = /^from=<([^>]*)>, size=(\d+), nrcpt=(\d+)/;
// `from=<x@y>, status=expired, returned to sender`
const RE_QMGR_STATUS = /^from=<([^>]*)>, status=([a-z]+)/;
// `sender non-delivery notification: ADD2F8052`, `sender delay notification: 0A87A1A08`, `postmaster non-delivery notification: 47335405A44`
const RE_BOUNCE = /^(?:sender|postmaster) (non-delivery|delay|delivery status|success) notification: ([0-9A-Za-z]+)$/;
// `to=<hello@example.test>, relay=127.0.0.1[127.0.0.1]:10024, delay=2.5, delays=0.06/0/1.6/0.82, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as E8339132AB)`
// `to=proxy@example.localdomain, orig_to=sample.orig.to, relay=local, delay=0.05, delays=0.04/0.02/0/0, dsn=2.0.0, status=sent (delivered to mailbox)` (addresses anonymised without <>)
const RE_DELIVERY =
  /^to=<?([^>,]*)>?, (?:orig_to=<?([^>,]*)>?, )?relay=([^,]+), ((?:[a-z_]+=[^,\s]*, )*?)status=([a-z-]+)(?: ([\s\S]*))?$/;
// `250 2.0.0 Ok: queued as E8339132AB`, `250 Ok: queued as 4XyZ1234abcD` , `queued as 06F1A2B3C4`
const RE_QUEUED_AS = /queued as ([0-9A-Za-z]+)/;
const STATUSES = new Set<DeliveryStatus>(['sent', 'deferred', 'bounced', 'expired', 'undeliverable', 'deliverable']);

// ---- misc daemons ------------------------------------------------------------------------------
// `connect to mbox1.unipi.it[10.1.0.11]:24: Connection refused`, `connect to mx.example.com[2001:db8::1]:25: Network is unreachable`
const RE_CONNECT_TO = /^connect to ([^\s\[\]]+)\[([^\]]*)\](?::(\d+))?: ([\s\S]*)$/;
// `connect to /var/run/dovecot/lmtp: No such file or directory` (unix socket destinations)
/** The refused or failed connect a deferral names: `(connect to mbox1.unipi.it[10.1.0.11]:24: Connection refused)`. */
export function connectFailureIn(reply: string): { destHost: string; destIp: string; destPort: number | null; refused: boolean } | null {
  const text = reply.startsWith('(') && reply.endsWith(')') ? reply.slice(1, -1) : reply;
  if (!text.startsWith('connect to ')) return null;
  const m = RE_CONNECT_TO.exec(text);
  return m ? { destHost: m[1]!, destIp: m[2]!, destPort: num(m[3]), refused: /refused/i.test(m[4]!) } : null;
}
const RE_CONNECT_TO_UNIX = /^connect to ((?:\/|private\/|public\/)\S+?): ([\s\S]*)$/;
// `statistics: max connection count 1 for (smtpd:61.238.241.86) at Oct 26 18:13:50`, `statistics: max cache size 1 at Oct 26 18:13:50`
const RE_ANVIL = /^statistics: (max [a-z ]+?) (\d+(?:\/\d+[smhd])?) (?:for \(([\s\S]*)\) )?at /;
// `addr 209.85.208.175 listed by domain list.dnswl.org as 127.0.5.0`
const RE_DNSBLOG = /^addr (\S+) listed by domain (\S+) as (\S+)/;
// `daemon started -- version 3.7.11, configuration /etc/postfix`
const RE_MASTER_START = /^daemon started -- version ([^,\s]+)/;
// `terminating on signal 15`
const RE_MASTER_STOP = /^terminating on signal \d+/;
// `reload -- version 3.7.11, configuration /etc/postfix`, `reload configuration /etc/postfix` (Postfix 2.x)
const RE_MASTER_RELOAD = /^reload (?:-- version ([^,\s]+)|configuration )/;

// Recognised, not counted. Without a queue id:
// `warning: hostname nsg93.example.com does not resolve to address 192.0.2.1`, `Anonymous TLS connection established from ...`,
// `improper command pipelining after HELO from unknown[..]: ...`, `Host or domain name not found. Name service error ...`,
// `setting up TLS connection from ...`, `SSL_accept error from ...`, `> mail.example.com[..]: 250 ...` (debug_peer), `dict_proxy_open: ...`
const RE_NOISE =
  /^(?:warning|fatal|panic|error|info|debug):|^(?:(?:Anonymous|Untrusted|Trusted|Verified) TLS connection established|setting up TLS connection|SSL_accept error|SSL_connect error|certificate verification failed|improper command pipelining|Host or domain name not found|statistics:|non-SMTP command from|bare <LF> received|discarding EHLO keywords|lost connection after|timeout after|connect to subsystem|table \S+ has changed|cache \S+ (?:full|partial) cleanup|(?:CONNECT|DISCONNECT) (?:from )?\[|NOQUEUE: client=|dict_|[<>] \S+: |starting the Postfix|stopping the Postfix|refreshing the Postfix|(?:Deleted|Requeued|Placed on hold|Released from hold): \d+ messages?)/;
// Verbose (`-v`, debug_peer_list) chatter: `name_mask: all`, `match_string: mynetworks ~? debug_peer_list`, `send attr request = open`,
// `input attribute name: flags`, `private/proxymap socket: wanted attribute: status`, `process generation: 231 (231)`, `connection established`
const RE_VERBOSE =
  /^(?:[a-z][a-z0-9_]*: |[a-z][\w/]* socket: |send attr |input attribute |initial envelope |extracted envelope |final envelope |cleanup flags |process generation: |host name lookup methods: |connection established|connection closed|(?:start|end|done) [a-z ]+|request: |request ignored|open (?:incoming|active|deferred)\/|Compiled against |Run-time linked against |mynetworks: |been_here: )/;
// programs whose every message is administrative chatter: `postfix[1086537]: Postfix is running with backwards-compatible default settings`,
// `postfix/postfix-script[2013]: waiting for the Postfix mail system to terminate`, `postfix/postsuper[27151]: Deleted: 2 messages`
const CHATTY_SERVICES = new Set(['postfix', 'postfix-script', 'postlog', 'postsuper', 'postmap', 'postalias', 'postconf', 'postdrop', 'sendmail', 'postqueue', 'postcat', 'tlsmgr', 'scache', 'verify', 'proxymap', 'trivial-rewrite', 'flush', 'tlsproxy']);
// With a queue id (after `QID: `): `host mx.example.com[192.0.2.1] said: 450 ... (in reply to RCPT TO command)`,
// `lost connection with mx.example.com[..] while sending RCPT TO`, `conversation with .. timed out while ..`, `enabling PIX workarounds ..`,
// `info: header Subject: ..`, `prepend: header ..`, `warning: ..`, `skipped, still being delivered`, `held by ..`, `redirect: ..`
const RE_QID_NOISE =
  /^(?:host \S+ (?:said|refused to talk to me)|lost connection with|conversation with|enabling PIX|Cannot start TLS|TLS is required|Used TLS for|SASL authentication failed; |(?:warning|info|error|fatal):|skipped, still being delivered|held|placed on hold|released from hold|requeued|expired|sender delivery status notification|recipient limit \d+)/;

function noise(b: Base): MailEvent {
  return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'noise', family: 'postfix' };
}

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
function splitTrailer(rest: string): Trailer {
  const t = chooseSmtpdTrailer(rest, (idx) => trailerAt(rest, idx));
  if (t) return t;
  const idx = lastTrailerStart(rest);
  if (idx < 0) return { reply: rest, from: null, to: null, helo: null, after: null };
  const tail = rest.slice(idx + 2);
  return { reply: rest.slice(0, idx), from: kv(tail, 'from'), to: kv(tail, 'to'), helo: kv(tail, 'helo'), after: null };
}

/** The trailer read from the `; from=<` at idx; null when it does not follow Postfix's shape. */
function trailerAt(rest: string, idx: number): Trailer | null {
  const reply = rest.slice(0, idx);
  const fast = trailerFast(rest, idx + 2, reply);
  if (fast) return fast;
  const m = RE_TRAILER.exec(rest.slice(idx + 2));
  if (!m) return null;
  return { reply, from: m[1] ?? null, to: m[2] ?? null, helo: m[4] ?? null, after: m[5] ?? null };
}

/** The usual `commands=` summary keys, as constants (no slice and no key internalisation per line). */
const COMMAND_KEYS = ['ehlo', 'helo', 'mail', 'rcpt', 'data', 'bdat', 'quit', 'rset', 'noop', 'vrfy', 'etrn', 'auth', 'starttls', 'unknown', 'commands'];

/** `ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4` → {ehlo: {ok: 1, total: 1}, ...}; tokens are split on single spaces. */
function parseCommands(text: string | undefined): Record<string, { ok: number; total: number }> | null {
  if (!text) return null;
  const out: Record<string, { ok: number; total: number }> = {};
  let any = false;
  const n = text.length;
  let start = 0;
  while (start <= n) {
    let end = text.indexOf(' ', start);
    if (end < 0) end = n;
    const eq = text.indexOf('=', start);
    if (eq > start && eq < end) {
      const ok = commandCount(text, eq + 1, end);
      if (ok >= 0 || fastCountFailed) {
        let okN: number;
        let total: number;
        if (!fastCountFailed) {
          okN = ok;
          total = fastTotal;
        } else {
          // anything but plain digits: the general reading, as before
          const v = text.slice(eq + 1, end);
          const slash = v.indexOf('/');
          okN = Number(slash < 0 ? v : v.slice(0, slash));
          total = slash < 0 ? okN : Number(v.slice(slash + 1));
        }
        if (Number.isInteger(okN) && Number.isInteger(total)) {
          out[commandKey(text, start, eq)] = { ok: okN, total };
          any = true;
        }
      }
    }
    start = end + 1;
  }
  return any ? out : null;
}

let fastTotal = 0;
let fastCountFailed = false;

/** `N` or `N/M` (1-9 digits each) in text[i, end): returns N and sets fastTotal; else sets fastCountFailed. */
function commandCount(text: string, i: number, end: number): number {
  fastCountFailed = false;
  let a = 0;
  let j = i;
  while (j < end) {
    const c = text.charCodeAt(j) - 48;
    if (c < 0 || c > 9) break;
    a = a * 10 + c;
    j++;
  }
  if (j === i || j - i > 9) {
    fastCountFailed = true;
    return -1;
  }
  if (j === end) {
    fastTotal = a;
    return a;
  }
  if (text.charCodeAt(j) !== 47 /* / */) {
    fastCountFailed = true;
    return -1;
  }
  const b0 = j + 1;
  let b = 0;
  j = b0;
  while (j < end) {
    const c = text.charCodeAt(j) - 48;
    if (c < 0 || c > 9) break;
    b = b * 10 + c;
    j++;
  }
  if (j !== end || j === b0 || j - b0 > 9) {
    fastCountFailed = true;
    return -1;
  }
  fastTotal = b;
  return a;
}

/** text[start, eq) as a constant when it is one of COMMAND_KEYS. */
function commandKey(text: string, start: number, eq: number): string {
  const len = eq - start;
  for (let i = 0; i < COMMAND_KEYS.length; i++) {
    const k = COMMAND_KEYS[i]!;
    if (k.length === len && text.startsWith(k, start)) return k;
  }
  return text.slice(start, eq);
}

function reject(
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

// ---- fast paths ---------------------------------------------------------------------------------
// The postscreen and dnsblog shapes are ~85% of the lines on a busy MX. They are recognised by their
// first characters and read with indexOf/charCodeAt. Each fast reader accepts exactly what its regular
// expression above accepts, captures the same text, and returns null when unsure: the regular
// expressions then run as before, so an odd line parses exactly as it always did.

/** Outputs of {@link ipPortAt} (module scratch: no tuple allocation per line). */
let fastIp = '';
let fastPort = 0;
/** where `ip]:port` starts and ends in the text ipPortAt last read (the open-connection key) */

/**
 * `[ip]:port` at i, as `\[([^\]]+)\]:(\d+)` (digits greedy): sets fastIp/fastPort and returns the
 * index after the port, or -1.
 */
function ipPortAt(msg: string, i: number): number {
  if (msg.charCodeAt(i) !== 91 /* [ */) return -1;
  const close = msg.indexOf(']', i + 1);
  if (close <= i + 1 || msg.charCodeAt(close + 1) !== 58 /* : */) return -1;
  const start = close + 2;
  const n = msg.length;
  let j = start;
  let v = 0;
  // bounded: no out-of-range charCodeAt (the port often ends the message), which V8 would deoptimise on
  while (j < n) {
    const c = msg.charCodeAt(j) - 48;
    if (c < 0 || c > 9) break;
    v = v * 10 + c;
    j++;
  }
  if (j === start) return -1;
  fastIp = msg.slice(i + 1, close);
  fastPort = j - start <= 15 ? v : Number(msg.slice(start, j));
  return j;
}

/** Index after the run of ASCII digits at i (i itself when none). */
function digitsEnd(msg: string, i: number): number {
  const n = msg.length;
  while (i < n) {
    const c = msg.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return i;
    i++;
  }
  return i;
}

/** The RE_PS_VIOLATION keywords, longest first where one could shadow another (none do). */
const VIOLATION_KEYWORDS: Array<[string, PostscreenViolation]> = Object.entries(VIOLATIONS);

/** What {@link decodePostscreen} recognised. */
export const enum PsVerdict {
  /** not one of the shapes below: the regular expressions decide */
  Unsure,
  Connect,
  Pass,
  Violation,
  Disconnect,
}

/** Fields of the last {@link decodePostscreen} (module scratch, read right after the call). */
const decoded = {
  ip: '',
  port: 0,
  how: 'old' as 'old' | 'new' | 'whitelisted',
  test: 'dnsbl' as PostscreenViolation,
  rank: null as number | null,
  /** start of a violation's detail text, -1 when it has none */
  detailStart: -1,
};

function keep(): void {
  decoded.ip = fastIp;
  decoded.port = fastPort;
}

/**
 * RE_PS_VIOLATION from the keyword's end k: `(?: \d+)?(?: after [\d.]+)? from \[ip\]:(\d+)(?::? (detail))?$`.
 */
function violationAt(text: string, test: PostscreenViolation, k: number): PsVerdict {
  if (text.charCodeAt(k) === 32 && text.charCodeAt(k + 1) >= 48 && text.charCodeAt(k + 1) <= 57) k = digitsEnd(text, k + 1);
  if (text.startsWith(' after ', k)) {
    let j = k + 7;
    for (;;) {
      const c = text.charCodeAt(j);
      if (!((c >= 48 && c <= 57) || c === 46)) break;
      j++;
    }
    if (j === k + 7) return PsVerdict.Unsure;
    k = j;
  }
  if (!text.startsWith(' from ', k)) return PsVerdict.Unsure;
  const p = ipPortAt(text, k + 6);
  if (p < 0) return PsVerdict.Unsure;
  if (p === text.length) decoded.detailStart = -1;
  else if (text.charCodeAt(p) === 58 && text.charCodeAt(p + 1) === 32) decoded.detailStart = p + 2;
  else if (text.charCodeAt(p) === 32) decoded.detailStart = p + 1;
  else return PsVerdict.Unsure;
  keep();
  decoded.test = test;
  decoded.rank = null;
  return PsVerdict.Violation;
}

/**
 * The postscreen verdicts by their first characters, in `text` from index i, into `decoded`.
 * Unsure when the fast reader cannot tell (the caller then runs the regular expressions).
 * (The bulk ingest's lane reads the same verdicts from bytes: postscreen-bytes.ts.)
 */
function decodePostscreen(text: string, i: number): PsVerdict {
  let p: number;
  switch (text.charCodeAt(i)) {
    case 67 /* C */:
      if (text.startsWith('CONNECT from ', i)) {
        p = ipPortAt(text, i + 13);
        if (p < 0 || !text.startsWith(' to ', p)) return PsVerdict.Unsure;
        keep();
        return PsVerdict.Connect;
      }
      break;
    case 68 /* D */:
      if (text.startsWith('DISCONNECT ', i)) {
        if (ipPortAt(text, i + 11) < 0) return PsVerdict.Unsure;
        keep();
        return PsVerdict.Disconnect;
      }
      if (text.startsWith('DNSBL rank ', i)) {
        const r = digitsEnd(text, i + 11);
        if (r === i + 11 || !text.startsWith(' for ', r) || ipPortAt(text, r + 5) < 0) return PsVerdict.Unsure;
        keep();
        decoded.test = 'dnsbl';
        decoded.rank = Number(text.slice(i + 11, r));
        decoded.detailStart = -1;
        return PsVerdict.Violation;
      }
      return PsVerdict.Unsure;
    case 72 /* H */:
      if (text.startsWith('HANGUP', i)) return violationAt(text, 'hangup', i + 6);
      break;
    case 80 /* P */:
      if (text.startsWith('PREGREET', i)) return violationAt(text, 'pregreet', i + 8);
      if (text.startsWith('PASS ', i)) {
        const how = text.startsWith('OLD ', i + 5) ? 'old' : text.startsWith('NEW ', i + 5) ? 'new' : null;
        if (how === null || ipPortAt(text, i + 9) < 0) return PsVerdict.Unsure;
        keep();
        decoded.how = how;
        return PsVerdict.Pass;
      }
      break;
    case 87 /* W */:
      if (text.startsWith('WHITELISTED ', i)) {
        if (ipPortAt(text, i + 12) < 0) return PsVerdict.Unsure;
        keep();
        decoded.how = 'whitelisted';
        return PsVerdict.Pass;
      }
      return PsVerdict.Unsure;
    default:
      break;
  }
  for (const [kw, test] of VIOLATION_KEYWORDS) {
    if (text.startsWith(kw, i)) return violationAt(text, test, i + kw.length);
  }
  return PsVerdict.Unsure;
}

/**
 * The postscreen verdicts read by {@link decodePostscreen}, as events. Returns null when the
 * fast reader is unsure (the caller then runs the regular expressions).
 */
function postscreenFast(e: Envelope, msg: string): MailEvent | null {
  const d = decoded;
  switch (decodePostscreen(msg, 0)) {
    case PsVerdict.Connect:
      return { at: e.at, host: e.host, program: e.program, pid: e.pid, kind: 'postscreen.connect', clientIp: d.ip, clientPort: d.port };
    case PsVerdict.Disconnect:
      return { at: e.at, host: e.host, program: e.program, pid: e.pid, kind: 'postscreen.disconnect', clientIp: d.ip, clientPort: d.port };
    case PsVerdict.Pass:
      return { at: e.at, host: e.host, program: e.program, pid: e.pid, kind: 'postscreen.pass', how: d.how, clientIp: d.ip, clientPort: d.port };
    case PsVerdict.Violation:
      return {
        at: e.at, host: e.host, program: e.program, pid: e.pid,
        kind: 'postscreen.violation', test: d.test, clientIp: d.ip, clientPort: d.port, rank: d.rank,
        detail: d.detailStart < 0 ? null : msg.slice(d.detailStart),
      };
    default:
      return null;
  }
}

/** The actions RE_REJECT accepts. */
const REJECT_ACTION_WORDS = new Set(['reject', 'milter-reject', 'reject_warning', 'filter', 'hold', 'discard', 'redirect', 'milter-hold', 'milter-discard']);

/**
 * RE_REJECT for `NOQUEUE: ACTION: STAGE from host[ip](:port)?: rest`, the shape of every smtpd and
 * postscreen reject; null when unsure.
 */
function noqueueRejectFast(e: Envelope, msg: string): MailEvent | null {
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

function postscreen(b: Base, msg: string): MailEvent | null {
  let m = RE_PS_CONNECT.exec(msg);
  if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'postscreen.connect', clientIp: m[1]!, clientPort: Number(m[2]) };
  m = RE_PS_PASS.exec(msg);
  if (m) {
    const how = m[1] === 'PASS OLD' ? 'old' : m[1] === 'PASS NEW' ? 'new' : m[1] === 'WHITELISTED' ? 'whitelisted' : 'allowlisted';
    return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'postscreen.pass', how, clientIp: m[2]!, clientPort: Number(m[3]) };
  }
  m = RE_PS_DNSBL.exec(msg);
  if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'postscreen.violation', test: 'dnsbl', clientIp: m[2]!, clientPort: Number(m[3]), rank: Number(m[1]), detail: null };
  m = RE_PS_VIOLATION.exec(msg);
  if (m) {
    return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'postscreen.violation', test: VIOLATIONS[m[1]!]!, clientIp: m[2]!, clientPort: Number(m[3]), rank: null, detail: m[4] ?? null };
  }
  m = RE_PS_DENY.exec(msg);
  if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'postscreen.violation', test: 'denylisted', clientIp: m[1]!, clientPort: Number(m[2]), rank: null, detail: null };
  m = RE_PS_DISCONNECT.exec(msg);
  if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'postscreen.disconnect', clientIp: m[1]!, clientPort: Number(m[2]) };
  return null;
}

function withQid(b: Base, qid: string, rest: string, service: string): MailEvent | null {
  const c0 = rest.charCodeAt(0);
  let m: RegExpExecArray | null;
  if (c0 === 116 /* t */ && rest.startsWith('to=')) {
    m = RE_DELIVERY.exec(rest);
    if (m) {
      // `status=undeliverable-but-not-cached` (address verification) counts as undeliverable
      const status = (m[5]!.startsWith('undeliverable') ? 'undeliverable' : m[5]!) as DeliveryStatus;
      if (!STATUSES.has(status)) return null;
      const fields = m[4]!;
      let reply = m[6] ?? '';
      if (reply.startsWith('(') && reply.endsWith(')')) reply = reply.slice(1, -1);
      const relay = m[3]!;
      const hp = parseHostPort(relay);
      const q = RE_QUEUED_AS.exec(reply);
      return {
        at: b.at, host: b.host, program: b.program, pid: b.pid,
        kind: 'postfix.delivery',
        agent: service,
        qid,
        to: m[1]!,
        origTo: m[2] ?? null,
        relay,
        relayHost: hp ? hp.host : null,
        relayIp: hp ? hp.ip : null,
        relayPort: hp ? hp.port : null,
        delay: num(kv(fields, 'delay')),
        delays: kv(fields, 'delays'),
        dsn: kv(fields, 'dsn'),
        status,
        reply,
        queuedAs: q ? q[1]! : null,
      };
    }
  }
  if (c0 === 102 /* f */) {
    m = RE_QMGR_FROM.exec(rest);
    if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'qmgr.from', qid, from: m[1]!, size: Number(m[2]), nrcpt: Number(m[3]) };
    m = RE_QMGR_STATUS.exec(rest);
    if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'qmgr.expired', qid, from: m[1]!, status: m[2]! };
  }
  if (rest === 'removed') return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'qmgr.removed', qid };
  m = RE_CLIENT.exec(rest);
  if (m) {
    const extra = m[3] ?? '';
    return {
      at: b.at, host: b.host, program: b.program, pid: b.pid,
      kind: 'smtpd.client',
      qid,
      clientHost: m[1]!,
      clientIp: m[2]!,
      saslMethod: extra ? kv(extra, 'sasl_method') : null,
      saslUsername: extra ? kv(extra, 'sasl_username') : null,
    };
  }
  m = RE_MESSAGE_ID.exec(rest);
  if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'cleanup.message-id', qid, messageId: unangle(m[2]!.trim()), resent: m[1] !== undefined };
  m = RE_PICKUP.exec(rest);
  if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'pickup.from', qid, uid: Number(m[1]), from: m[2]! };
  m = RE_BOUNCE.exec(rest);
  if (m) {
    const t = m[1] === 'non-delivery' ? 'non-delivery' : m[1] === 'delay' ? 'delay' : 'success';
    return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'bounce.notification', qid, ndnQid: m[2]!, type: t };
  }
  m = RE_CHECK.exec(rest);
  if (m) {
    const action = REJECT_ACTIONS[m[1]!] ?? (m[1]!.endsWith('redirect') ? 'redirect' : undefined);
    if (!action) return noise(b); // info:, prepend:, replace: header ...
    const body = m[3]!;
    const t = chooseCleanupTrailer(body, (i) => trailerAt(body, i)) ?? splitTrailer(body);
    const head = t.reply;
    const cm = RE_CHECK_CLIENT.exec(head);
    const reply = t.after ?? head;
    return reject(b, action, qid, m[2]!, cm ? (cm[1] ?? 'local') : null, cm ? (cm[2] ?? null) : null, reply, t.from, t.to, t.helo);
  }
  if (RE_QID_NOISE.test(rest)) return noise(b);
  return null;
}

/** A Postfix message; `service` is the last path component of the program (`smtpd`, `smtp`, ...). */
export function parsePostfix(env: Envelope, service: string): MailEvent | null {
  const b: Base = env;
  const msg = env.message;
  const c0 = msg.charCodeAt(0);
  let m: RegExpExecArray | null;

  // postscreen verdicts: upper-case keyword first
  if (c0 >= 65 && c0 <= 90 && msg.charCodeAt(1) >= 65 && msg.charCodeAt(1) <= 90) {
    if (c0 === 78 /* N */ && msg.startsWith('NOQUEUE: ')) {
      // no postscreen verdict starts with `NOQUEUE: `; most are rejects
      const r = noqueueRejectFast(env, msg);
      if (r) return r;
    } else {
      const ps = postscreenFast(env, msg) ?? postscreen(b, msg);
      if (ps) return ps;
    }
  } else if (c0 === 97 /* a */ && msg.startsWith('addr ')) {
    // postfix/dnsblog: nothing before the switch below can match a message starting `addr `
    // (irregexp scans `\S+` faster than a charCodeAt loop would)
    m = RE_DNSBLOG.exec(msg);
    if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'postfix.dnsblog', clientIp: m[1]!, list: m[2]!, answer: m[3]! };
  } else if (c0 === 99 /* c */ && msg.startsWith('connect from ')) {
    // smtpd: neither RE_REJECT, RE_PROXY_REJECT nor a queue id can match `connect from ...`
    m = RE_CONNECT.exec(msg);
    if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'smtpd.connect', clientHost: m[1]!, clientIp: m[2]! };
  } else if (c0 === 100 /* d */ && msg.startsWith('disconnect from ')) {
    m = RE_DISCONNECT.exec(msg);
    if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'smtpd.disconnect', clientHost: m[1]!, clientIp: m[2]!, commands: parseCommands(m[3]) };
  }

  m = RE_REJECT.exec(msg);
  if (m && (m[1] === 'NOQUEUE' || isQid(m[1]!))) {
    const t = splitTrailer(m[6]!);
    return reject(b, REJECT_ACTIONS[m[2]!]!, m[1] === 'NOQUEUE' ? null : m[1]!, m[3]!, m[4] || null, m[5]!, t.reply, t.from, t.to, t.helo);
  }

  m = RE_PROXY_REJECT.exec(msg);
  if (m) {
    if (m[1] === 'accept') return noise(b);
    const t = splitTrailer(m[3]!);
    return reject(b, 'reject', null, m[2]!, null, null, t.reply, t.from, t.to, t.helo);
  }

  const q = splitQid(msg);
  if (q) {
    const r = withQid(b, q[0], q[1], service);
    if (r) return r;
  }

  switch (c0) {
    case 99 /* c */:
      m = RE_CONNECT.exec(msg);
      if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'smtpd.connect', clientHost: m[1]!, clientIp: m[2]! };
      m = RE_CONNECT_TO.exec(msg);
      if (m) {
        return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'postfix.connect-failed', destHost: m[1]!, destIp: m[2]!, destPort: num(m[3]), reason: m[4]!, refused: /refused/i.test(m[4]!) };
      }
      m = RE_CONNECT_TO_UNIX.exec(msg);
      if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'postfix.connect-failed', destHost: m[1]!, destIp: null, destPort: null, reason: m[2]!, refused: /refused/i.test(m[2]!) };
      break;
    case 100 /* d */:
      m = RE_DISCONNECT.exec(msg);
      if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'smtpd.disconnect', clientHost: m[1]!, clientIp: m[2]!, commands: parseCommands(m[3]) };
      m = RE_MASTER_START.exec(msg);
      if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'postfix.master', action: 'start', version: m[1]! };
      break;
    case 78 /* N */:
    case 108 /* l */:
    case 116 /* t */: {
      m = RE_LOST.exec(msg);
      if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'smtpd.lost', clientHost: m[3]!, clientIp: m[4]!, after: m[2]!, timeout: m[1] === 'timeout' };
      if (RE_MASTER_STOP.test(msg)) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'postfix.master', action: 'stop', version: null };
      break;
    }
    case 119 /* w */:
      m = RE_SASL.exec(msg);
      if (m) {
        return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'smtpd.sasl-failed', clientHost: m[1]!, clientIp: m[2]!, mechanism: m[3] ?? null, reason: m[4] ?? '', saslUsername: m[5] ?? null };
      }
      break;
    case 115 /* s */:
      if (service === 'anvil') {
        m = RE_ANVIL.exec(msg);
        if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'postfix.anvil', stat: m[1]!, value: m[2]!, client: m[3] ?? null };
      }
      break;
    case 97 /* a */:
      m = RE_DNSBLOG.exec(msg);
      if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'postfix.dnsblog', clientIp: m[1]!, list: m[2]!, answer: m[3]! };
      break;
    case 114 /* r */:
      m = RE_MASTER_RELOAD.exec(msg);
      if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'postfix.master', action: 'reload', version: m[1] ?? null };
      break;
    default:
      break;
  }
  if (service === 'postscreen' && RE_PS_NOISE.test(msg)) return noise(b);
  if (RE_NOISE.test(msg) || RE_VERBOSE.test(msg)) return noise(b);
  if (CHATTY_SERVICES.has(service) && !q) return noise(b);
  return null;
}
