// The syslog envelope around a line, whatever its wire format. Hot path: the traditional and
// ISO formats are scanned with charCodeAt/indexOf, not with one big regular expression.
//
// Formats (real samples from the corpus in test/fixtures/corpus):
//   RFC 3164   `Jun 29 03:10:03 RHL058 postfix/smtpd[25080]: C05A07C2CA0: client=localhost[127.0.0.1]`
//              also `Mon  d`, `Mon d` (single space), an optional `<PRI>` before the stamp and the
//              FreeBSD `syslogd -v` priority after it: `Apr  2 17:51:27 <4.3> pancake sshd[55624]: ...`
//   ISO 8601   `2024-08-29T01:08:59.764590+00:00 machine postfix/smtpd[1938053]: NOQUEUE: reject: ...`
//   RFC 5424   `<38>1 2019-07-08T17:40:16.954167-04:00 hostname.example.com sshd 57915 - - Failed ...`
//   journald   `{ "__REALTIME_TIMESTAMP" : "1534860261221373", "_HOSTNAME" : "imx6ul-medusa", ... }`
//   Dovecot's own log file (no host): `Jan 29 09:33:58 pop3-login: Info: Aborted login (...)`,
//              `2013-08-11 03:56:40 auth-worker(default): Info: pam(username,1.2.3.4): ...`
//   daemontools multilog TAI64N: `@400000004c91b044077a9e94 imap-login: Info: Aborted login (...)`
//   docker compose prefix: `dovecot-mailcow_1    | Apr 23 17:40:29 mail dovecot: imap-login: ...`
import type { Envelope } from './events';
import type { ParseContext } from './index';
import { d2, digit, fraction, isoStamp, localSeconds, monthAt } from './syslog-stamps';

/** Program tags of Dovecot's own log file lines, which have no host field. */
const DOVECOT_OWN = new Set([
  'Info', 'Warn', 'Warning', 'Error', 'Fatal', 'Panic', 'Debug',
  'imap-login', 'pop3-login', 'managesieve-login', 'submission-login', 'imap', 'pop3', 'lmtp', 'lda',
  'auth', 'auth-worker', 'master', 'config', 'log', 'anvil', 'stats', 'indexer', 'indexer-worker', 'managesieve', 'submission',
]);

// docker compose log prefix: `dovecot-mailcow_1    | Apr 23 17:40:29 mail dovecot: imap-login: ...`
const RE_COMPOSE_PREFIX = /^[A-Za-z0-9_.-]+\s*\| /;

function trimMessage(m: string): string {
  const last = m.charCodeAt(m.length - 1);
  return last === 32 || last === 13 || last === 10 || last === 9 ? m.trimEnd() : m;
}

/** The pid between `[` and `]`: digits read in place; anything else goes through Number() as before. */
function pidBetween(line: string, from: number, to: number): number | null {
  if (to > from && to - from <= 15) {
    let v = 0;
    let i = from;
    for (; i < to; i++) {
      const c = line.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      v = v * 10 + c;
    }
    if (i === to) return v;
  }
  const p = Number(line.slice(from, to));
  return Number.isInteger(p) ? p : null;
}

// Program names repeat on every line: they are interned, so the same few string objects (with their
// hash computed once) flow to the Map lookups downstream, and no slice is made per line.
// A direct-mapped table by a hash computed while scanning, backed by a Map.
const INTERN_SLOTS = 256;

const internSlots: Array<string | undefined> = new Array<string | undefined>(INTERN_SLOTS).fill(undefined);

const internMap = new Map<string, string>();

/** A copy of `s` that does not keep the (possibly large) string it was sliced from alive. */
function detached(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

/** The interned `line.slice(from, to)`; `h` is a hash of its char codes. */
function internSlice(line: string, from: number, to: number, h: number): string {
  const slot = h & (INTERN_SLOTS - 1);
  const cand = internSlots[slot];
  if (cand !== undefined && cand.length === to - from && line.startsWith(cand, from)) return cand;
  const s = line.slice(from, to);
  let v = internMap.get(s);
  if (v === undefined) {
    if (internMap.size >= 4096) internMap.clear();
    v = detached(s);
    internMap.set(v, v);
  }
  internSlots[slot] = v;
  return v;
}

/** Programs followed by `[pid]`, by {@link pidProgramSlot}. */
const pidProgramSlots: Array<string | undefined> = new Array<string | undefined>(INTERN_SLOTS).fill(undefined);

/** Slot of the program in line[from, to): its length and first and last char codes. */
function pidProgramSlot(line: string, from: number, to: number): number {
  return ((to - from) * 61 + line.charCodeAt(from) * 7 + line.charCodeAt(to - 1) * 131) & (INTERN_SLOTS - 1);
}

// Solaris syslogd (msgid on, the default) puts `[ID <msgid> <facility>.<level>] ` between the tag
// and the message: `postfix/smtpd[4193]: [ID 197553 mail.info] connect from ...`.
const RE_SOLARIS_MSGID = /^\[ID \d+ [a-z0-9]+\.[a-z]+\] /;

/** The index after a Solaris `[ID 197553 mail.info] ` at k; k itself when there is none. */
function afterSolarisMsgId(line: string, k: number): number {
  if (!line.startsWith('[ID ', k)) return k;
  const m = RE_SOLARIS_MSGID.exec(line.slice(k, k + 64));
  return m ? k + m[0].length : k;
}

/**
 * Parses `prog[pid]: msg` / `prog: msg` starting at j. `host` is already known.
 */
function parseTag(line: string, j: number, at: number, host: string): Envelope | null {
  const n = line.length;
  let k = j;
  let program: string | undefined;
  // `prog[pid]`: a program seen before, found by its length and end characters, with no scan
  const open = line.indexOf('[', j);
  if (open > j && open - j <= 64) {
    const cand = pidProgramSlots[pidProgramSlot(line, j, open)];
    // cand holds no `:`, `[` or space, so the scan below would stop at `open` too
    if (cand !== undefined && cand.length === open - j && line.startsWith(cand, j)) {
      program = cand;
      k = open;
    }
  }
  if (program === undefined) {
    let h = 0;
    while (k < n) {
      const c = line.charCodeAt(k);
      if (c === 58 /* : */ || c === 91 /* [ */ || c === 32) break;
      h = (h * 31 + c) | 0;
      k++;
    }
    if (k === j || k >= n) return null;
    program = internSlice(line, j, k, h ^ (h >>> 8));
    if (k === open && k - j <= 64) pidProgramSlots[pidProgramSlot(line, j, k)] = program;
  }
  let pid: number | null = null;
  let c = line.charCodeAt(k);
  if (c === 91) {
    const close = line.indexOf(']', k + 1);
    if (close < 0) return null;
    pid = pidBetween(line, k + 1, close);
    k = close + 1;
    c = line.charCodeAt(k);
  }
  if (c !== 58) return null;
  k++;
  if (line.charCodeAt(k) === 32) k++;
  if (line.charCodeAt(k) === 91 /* [ */) k = afterSolarisMsgId(line, k);
  return { at, host, program, pid, message: trimMessage(line.slice(k)) };
}

/** After the stamp (at index i): optional priority, host, tag — or a host-less Dovecot line. */
function afterStamp(line: string, i: number, at: number): Envelope | null {
  // FreeBSD syslogd -v / -vv: `<4.3>` or `<auth.info>` after the stamp
  if (line.charCodeAt(i) === 60) {
    const close = line.indexOf('> ', i);
    if (close > 0 && close - i < 24) i = close + 2;
  }
  const sp = line.indexOf(' ', i);
  if (sp <= i) return null;
  if (line.charCodeAt(sp - 1) === 58 /* token ends with ':' → no host field */) {
    const token = line.slice(i, sp - 1);
    let name = token;
    const cut = token.search(/[([<]/);
    if (cut >= 0) name = token.slice(0, cut);
    if (DOVECOT_OWN.has(name) || cut >= 0 && token.charCodeAt(cut) !== 91) {
      // Dovecot's own log file: keep the component in the message, as syslog'd `dovecot: ...` lines
      return { at, host: '', program: 'dovecot', pid: null, message: trimMessage(line.slice(i)) };
    }
    return parseTag(line, i, at, '');
  }
  return parseTag(line, sp + 1, at, line.slice(i, sp));
}

/**
 * The instant of the 16 characters `Mmm dd hh:mm:ss ` (day two digits or space-padded, no
 * fraction) that start most RFC 3164 lines; NaN when the line does not start so. Reads what
 * parseTraditional reads for such a stamp, to the same instant: the postscreen lane calls it
 * once per second of log instead of once per line.
 */
export function traditionalStampAt(line: string, ctx: ParseContext): number {
  const month = monthAt(line);
  if (month === 0 || line.charCodeAt(3) !== 32 || line.charCodeAt(6) !== 32 || line.charCodeAt(15) !== 32) return NaN;
  const d1 = line.charCodeAt(4) === 32 ? 0 : digit(line, 4);
  const d0 = digit(line, 5);
  const day = d1 * 10 + d0;
  const hh = d2(line, 7);
  const mm = d2(line, 10);
  const ss = d2(line, 13);
  if (d1 < 0 || d0 < 0 || day < 1 || day > 31 || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60) return NaN;
  if (line.charCodeAt(9) !== 58 || line.charCodeAt(12) !== 58) return NaN;
  return localSeconds(ctx.tz, ctx.year(month), month, day, hh, mm, ss);
}

function parseTraditional(line: string, ctx: ParseContext): Envelope | null {
  const month = monthAt(line);
  if (month === 0 || line.charCodeAt(3) !== 32) return null;
  let i = 4;
  if (line.charCodeAt(i) === 32) i++;
  let day = line.charCodeAt(i) - 48;
  if (!(day >= 0 && day <= 9)) return null; // NaN past the end fails too
  i++;
  const c = line.charCodeAt(i) - 48;
  if (c >= 0 && c <= 9) {
    day = day * 10 + c;
    i++;
  }
  if (line.charCodeAt(i) !== 32 || day < 1 || day > 31) return null;
  i++;
  const hh = d2(line, i);
  const mm = d2(line, i + 3);
  const ss = d2(line, i + 6);
  if (hh < 0 || mm < 0 || ss < 0 || line.charCodeAt(i + 2) !== 58 || line.charCodeAt(i + 5) !== 58) return null;
  if (hh > 23 || mm > 59 || ss > 60) return null;
  let j = i + 8;
  let frac = 0;
  if (line.charCodeAt(j) === 46) [frac, j] = fraction(line, j);
  if (line.charCodeAt(j) !== 32) return null;
  const at = localSeconds(ctx.tz, ctx.year(month), month, day, hh, mm, ss) + frac;
  return afterStamp(line, j + 1, at);
}

function parseIso(line: string, ctx: ParseContext): Envelope | null {
  const st = isoStamp(line, 0, ctx);
  if (!st || line.charCodeAt(st[1]) !== 32) return null;
  return afterStamp(line, st[1] + 1, st[0]);
}

/** `<34>1 2024-08-25T10:11:12.003Z host app procid msgid [sd] msg` */
function parseRfc5424(line: string, i: number, ctx: ParseContext): Envelope | null {
  // i is just after `<PRI>1 `
  let at = 0;
  let k: number;
  if (line.charCodeAt(i) === 45 /* - */) k = i + 1;
  else {
    const st = isoStamp(line, i, ctx);
    if (!st) return null;
    at = st[0];
    k = st[1];
  }
  const fields: string[] = [];
  for (let f = 0; f < 4; f++) {
    if (line.charCodeAt(k) !== 32) return null;
    const sp = line.indexOf(' ', k + 1);
    const end = sp < 0 ? line.length : sp;
    fields.push(line.slice(k + 1, end));
    k = end;
  }
  // structured data: `-` or one or more `[id k="v" ...]` (with \] escapes)
  if (line.charCodeAt(k) !== 32) return null;
  k++;
  if (line.charCodeAt(k) === 45) k++;
  else {
    while (line.charCodeAt(k) === 91) {
      let q = k + 1;
      let inQuote = false;
      for (; q < line.length; q++) {
        const c = line.charCodeAt(q);
        if (c === 92) q++;
        else if (c === 34) inQuote = !inQuote;
        else if (c === 93 && !inQuote) break;
      }
      if (q >= line.length) return null;
      k = q + 1;
    }
  }
  let message = line.charCodeAt(k) === 32 ? line.slice(k + 1) : line.slice(k);
  if (message.charCodeAt(0) === 0xfeff) message = message.slice(1);
  const [host, app, procid] = fields as [string, string, string, string];
  const p = Number(procid);
  return {
    at,
    host: host === '-' ? '' : host,
    program: app === '-' ? '' : app,
    pid: procid !== '-' && Number.isInteger(p) ? p : null,
    message: trimMessage(message),
  };
}

const utf8 = new TextDecoder('utf-8');

function jsonString(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v) && v.every((b) => typeof b === 'number')) return utf8.decode(Uint8Array.from(v as number[]));
  return null;
}

/** One `journalctl -o json` line. */
function parseJournal(line: string): Envelope | null {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch {
    return null;
  }
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return null;
  const r = o as Record<string, unknown>;
  const ts = jsonString(r.__REALTIME_TIMESTAMP);
  const message = jsonString(r.MESSAGE);
  if (ts === null || message === null || !/^\d+$/.test(ts)) return null;
  const program = jsonString(r.SYSLOG_IDENTIFIER) ?? jsonString(r._COMM) ?? '';
  const pidText = jsonString(r.SYSLOG_PID) ?? jsonString(r._PID);
  const pid = pidText !== null && /^\d+$/.test(pidText) ? Number(pidText) : null;
  return { at: Number(ts) / 1e6, host: jsonString(r._HOSTNAME) ?? '', program, pid, message: trimMessage(message) };
}

/** `@400000004c91b044077a9e94 imap-login: ...` (daemontools multilog, TAI64N label) */
function parseTai64n(line: string): Envelope | null {
  if (line.length < 27 || line.charCodeAt(25) !== 32 || !/^@[0-9a-f]{24}$/i.test(line.slice(0, 25))) return null;
  const hi = parseInt(line.slice(1, 9), 16) - 0x40000000;
  const lo = parseInt(line.slice(9, 17), 16);
  const nano = parseInt(line.slice(17, 25), 16);
  // TAI64 label = 2^62 + 10 + unix seconds (the multilog convention, leap seconds ignored)
  const at = hi * 4294967296 + lo - 10 + nano / 1e9;
  return parseTag(line, 26, at, '');
}

function parseAny(line: string, ctx: ParseContext, depth: number): Envelope | null {
  const c0 = line.charCodeAt(0);
  if (c0 >= 65 && c0 <= 83 /* A..S: month names */) {
    const e = parseTraditional(line, ctx);
    if (e) return e;
  } else if (c0 >= 48 && c0 <= 57) {
    const e = parseIso(line, ctx);
    if (e) return e;
  } else if (c0 === 60 /* < */) {
    const close = line.indexOf('>');
    if (close > 1 && close <= 4 && /^\d+$/.test(line.slice(1, close))) {
      if (line.charCodeAt(close + 1) === 49 && line.charCodeAt(close + 2) === 32) return parseRfc5424(line, close + 3, ctx);
      return depth < 1 ? parseAny(line.slice(close + 1), ctx, depth + 1) : null;
    }
  } else if (c0 === 123 /* { */) {
    return parseJournal(line);
  } else if (c0 === 64 /* @ */) {
    return parseTai64n(line);
  }
  if (depth < 1) {
    const m = RE_COMPOSE_PREFIX.exec(line);
    if (m) return parseAny(line.slice(m[0].length), ctx, depth + 1);
  }
  return null;
}

/** The envelope of one raw line, or null when it has none we recognise. Never throws. */
export function parseEnvelope(line: string, ctx: ParseContext): Envelope | null {
  try {
    return parseAny(line, ctx, 0);
  } catch {
    return null;
  }
}
