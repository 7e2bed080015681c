// postscreen's verdicts (CONNECT, PASS, DNSBL rank, PREGREET, HANGUP, ..., DISCONNECT): the
// regular expressions, and a fast reader by first characters that returns null when unsure.
import type { Envelope, MailEvent, PostscreenViolation } from './events';
import { type Base, digitsEnd } from './postfix-common';

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
export const RE_PS_NOISE = /^(?:WHITELIST VETO|ALLOWLIST VETO|cache \S+ full cleanup|NOQUEUE: |reject: |[A-Z][A-Z -]+ \[)/;

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
export function postscreenFast(e: Envelope, msg: string): MailEvent | null {
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

export function postscreen(b: Base, msg: string): MailEvent | null {
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
