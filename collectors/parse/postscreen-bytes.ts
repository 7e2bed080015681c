// The postscreen verdicts of decodePostscreen (postfix.ts), read from a line's bytes. Why a
// byte reader: the bulk ingest's postscreen lane reads 3.8 million lines a day straight from
// the file's buffer; decoding them to strings first was most of what the reading thread
// allocated, and its garbage collection with it.
//
// It accepts exactly what decodePostscreen accepts, with the same fields; anything else is
// Unsure and the line goes to the full parser. test/correlate/postscreen-lane.test.ts feeds
// the corpus and a generated day through both and compares every figure.
import type { PostscreenViolation } from './events';
import { PsVerdict, VIOLATIONS } from './postfix';

/** The bytes of an ASCII string. */
export function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** Whether bytes `w` stand at b[i, ...) within b[..., end). */
export function bytesAt(b: Uint8Array, i: number, w: Uint8Array, end: number): boolean {
  const n = w.length;
  if (i + n > end) return false;
  for (let k = 0; k < n; k++) if (b[i + k] !== w[k]) return false;
  return true;
}

/** Index after the run of ASCII digits at i, not past `end`. */
export function digitsEndAt(b: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = b[i]! - 48;
    if (c < 0 || c > 9) return i;
    i++;
  }
  return i;
}

/** Fields of the last decodePostscreenBytes (module scratch: no object per line). */
export const decodedBytes = {
  port: 0,
  /** the client IPv4 address as a number, -1 when not a dotted quad (then use the key text) */
  ipv4: -1,
  /** `ip]:port` spans [keyStart, keyEnd) of the buffer: the open-connection key */
  keyStart: 0,
  keyEnd: 0,
  how: 'old' as 'old' | 'new' | 'whitelisted',
  test: 'dnsbl' as PostscreenViolation,
  rank: null as number | null,
};

const CONNECT_FROM = ascii('CONNECT from ');
const TO = ascii(' to ');
const DISCONNECT = ascii('DISCONNECT ');
const DNSBL_RANK = ascii('DNSBL rank ');
const FOR = ascii(' for ');
const HANGUP = ascii('HANGUP');
const PREGREET = ascii('PREGREET');
const PASS = ascii('PASS ');
const OLD = ascii('OLD ');
const NEW = ascii('NEW ');
const WHITELISTED = ascii('WHITELISTED ');
const AFTER = ascii(' after ');
const FROM = ascii(' from ');
const VIOLATION_KEYWORDS: Array<[Uint8Array, PostscreenViolation]> = Object.entries(VIOLATIONS).map(([k, v]) => [ascii(k), v]);

/** The dotted quad in b[start, end) as a number, -1 when it is not one. */
export function ipv4Number(b: Uint8Array, start: number, end: number): number {
  let n = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    if (c === 46 /* . */) {
      if (digits === 0 || part > 255 || dots === 3) return -1;
      n = n * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else {
      const d = c - 48;
      if (d < 0 || d > 9 || digits === 3) return -1;
      part = part * 10 + d;
      digits++;
    }
  }
  if (dots !== 3 || digits === 0 || part > 255) return -1;
  return n * 256 + part;
}

/** ipPortAt of postfix.ts: `[ip]:port` at i; the index after the port, -1 when not so. */
function ipPortAt(b: Uint8Array, i: number, end: number): number {
  if (b[i] !== 91 /* [ */) return -1;
  let close = i + 1;
  while (close < end && b[close] !== 93 /* ] */) close++;
  if (close >= end || close === i + 1 || b[close + 1] !== 58 /* : */) return -1;
  const start = close + 2;
  let j = start;
  let port = 0;
  while (j < end) {
    const c = b[j]! - 48;
    if (c < 0 || c > 9) break;
    port = port * 10 + c;
    j++;
  }
  if (j === start) return -1;
  decodedBytes.port = j - start <= 15 ? port : Number.MAX_SAFE_INTEGER;
  decodedBytes.ipv4 = ipv4Number(b, i + 1, close);
  decodedBytes.keyStart = i + 1;
  decodedBytes.keyEnd = j;
  return j;
}

/** violationAt of postfix.ts: `(?: \d+)?(?: after [\d.]+)? from \[ip\]:(\d+)(?::? (detail))?$` from k. */
function violationAt(b: Uint8Array, test: PostscreenViolation, k: number, end: number): PsVerdict {
  if (b[k] === 32 && k + 1 < end && b[k + 1]! >= 48 && b[k + 1]! <= 57) k = digitsEndAt(b, k + 1, end);
  if (bytesAt(b, k, AFTER, end)) {
    let j = k + 7;
    while (j < end) {
      const c = b[j]!;
      if (!((c >= 48 && c <= 57) || c === 46)) break;
      j++;
    }
    if (j === k + 7) return PsVerdict.Unsure;
    k = j;
  }
  if (!bytesAt(b, k, FROM, end)) return PsVerdict.Unsure;
  const p = ipPortAt(b, k + 6, end);
  if (p < 0) return PsVerdict.Unsure;
  if (p !== end && !(b[p] === 58 && p + 1 < end && b[p + 1] === 32) && b[p] !== 32) return PsVerdict.Unsure;
  decodedBytes.test = test;
  decodedBytes.rank = null;
  return PsVerdict.Violation;
}

/** decodePostscreen of postfix.ts over b[i, end), into `decodedBytes`. */
export function decodePostscreenBytes(b: Uint8Array, i: number, end: number): PsVerdict {
  switch (b[i]) {
    case 67 /* C */:
      if (bytesAt(b, i, CONNECT_FROM, end)) {
        const p = ipPortAt(b, i + 13, end);
        return p >= 0 && bytesAt(b, p, TO, end) ? PsVerdict.Connect : PsVerdict.Unsure;
      }
      break;
    case 68 /* D */:
      if (bytesAt(b, i, DISCONNECT, end)) return ipPortAt(b, i + 11, end) < 0 ? PsVerdict.Unsure : PsVerdict.Disconnect;
      if (bytesAt(b, i, DNSBL_RANK, end)) {
        const r = digitsEndAt(b, i + 11, end);
        if (r === i + 11 || !bytesAt(b, r, FOR, end)) return PsVerdict.Unsure;
        let rank = 0;
        for (let k = i + 11; k < r; k++) rank = rank * 10 + (b[k]! - 48);
        if (r - (i + 11) > 15 || ipPortAt(b, r + 5, end) < 0) return PsVerdict.Unsure;
        decodedBytes.test = 'dnsbl';
        decodedBytes.rank = rank;
        return PsVerdict.Violation;
      }
      return PsVerdict.Unsure;
    case 72 /* H */:
      if (bytesAt(b, i, HANGUP, end)) return violationAt(b, 'hangup', i + 6, end);
      break;
    case 80 /* P */:
      if (bytesAt(b, i, PREGREET, end)) return violationAt(b, 'pregreet', i + 8, end);
      if (bytesAt(b, i, PASS, end)) {
        const how = bytesAt(b, i + 5, OLD, end) ? 'old' : bytesAt(b, i + 5, NEW, end) ? 'new' : null;
        if (how === null || ipPortAt(b, i + 9, end) < 0) return PsVerdict.Unsure;
        decodedBytes.how = how;
        return PsVerdict.Pass;
      }
      break;
    case 87 /* W */:
      if (bytesAt(b, i, WHITELISTED, end)) {
        if (ipPortAt(b, i + 12, end) < 0) return PsVerdict.Unsure;
        decodedBytes.how = 'whitelisted';
        return PsVerdict.Pass;
      }
      return PsVerdict.Unsure;
    default:
      break;
  }
  for (const [kw, test] of VIOLATION_KEYWORDS) {
    if (bytesAt(b, i, kw, end)) return violationAt(b, test, i + kw.length, end);
  }
  return PsVerdict.Unsure;
}
