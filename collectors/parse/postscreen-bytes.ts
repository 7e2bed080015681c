// The postscreen verdicts of postscreen-grammar.ts (those its table marks for the lane), read
// from a line's bytes. Why a byte reader: the bulk ingest's postscreen lane reads 3.8 million
// lines a day straight from the file's buffer; decoding them to strings first was most of what
// the reading thread allocated, and its garbage collection with it.
//
// It accepts exactly what the parser's regular expressions accept (postfix-postscreen.ts), with
// the same fields; anything else is Unsure and the line goes to the full parser.
// test/parse/postscreen-grammar.test.ts and test/correlate/postscreen-lane.test.ts feed the
// table's samples, the corpus and a generated day through both.
import type { PostscreenViolation } from './events';
import { POSTSCREEN_VERDICTS, PsVerdict, type PsRule } from './postscreen-grammar';

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

/**
 * An ASCII word of 4 bytes or more, matched four bytes at a time (keywordAt). Why: nearly every
 * line of a day is matched against a few of these, and a compare per byte was a good part of the
 * postscreen lane's time.
 */
export class Keyword {
  readonly length: number;
  /**
   * The bytes as little-endian 32-bit words at 0, 4, 8, ..., the last one at length - 4 (it
   * overlaps the one before when the length is not a multiple of 4).
   */
  readonly words: Int32Array;

  constructor(readonly text: string) {
    // ascii() keeps a character's low byte only: anything past ASCII would match other bytes
    if (!/^[\x00-\x7f]*$/.test(text)) throw new Error(`Keyword "${text}": ASCII only`);
    const bytes = ascii(text);
    if (bytes.length < 4) throw new Error(`Keyword "${text}": 4 bytes at least`);
    this.length = bytes.length;
    const view = new DataView(bytes.buffer);
    const n = Math.ceil(bytes.length / 4);
    this.words = new Int32Array(n);
    for (let j = 0; j < n - 1; j++) this.words[j] = view.getInt32(4 * j, true);
    this.words[n - 1] = view.getInt32(bytes.length - 4, true);
  }
}

/** Whether keyword `k` stands at i within [..., end) of the bytes `v` views (end <= its length). */
export function keywordAt(v: DataView, i: number, k: Keyword, end: number): boolean {
  const n = k.length;
  if (i + n > end) return false;
  const w = k.words;
  const last = w.length - 1;
  for (let j = 0; j < last; j++) if (v.getInt32(i + 4 * j, true) !== w[j]) return false;
  return v.getInt32(i + n - 4, true) === w[last];
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
  how: 'old' as 'old' | 'new' | 'whitelisted' | 'allowlisted',
  test: 'dnsbl' as PostscreenViolation,
  rank: null as number | null,
};

const TO = new Keyword(' to ');
const FOR = new Keyword(' for ');
const AFTER = new Keyword(' after ');
const FROM = new Keyword(' from ');

/** The table's lane rules by the first byte of their keyword, each with its keyword's bytes. */
const LANE_RULES: Array<Array<{ keyword: Keyword; rule: PsRule }> | undefined> = [];
for (const rule of POSTSCREEN_VERDICTS) {
  if (!rule.lane) continue;
  const c = rule.keyword.charCodeAt(0);
  (LANE_RULES[c] ??= []).push({ keyword: new Keyword(rule.keyword), rule });
}

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

/**
 * `\[([^\]]+)\]:(\d+)` at i: the index after the port, -1 when not so. The usual
 * address, a dotted quad, is read as a number on the way (quadAt); anything else is scanned to
 * its `]` and then read by ipv4Number.
 */
function ipPortAt(b: Uint8Array, i: number, end: number): number {
  if (b[i] !== 91 /* [ */) return -1;
  const q = quadAt(b, i + 1, end);
  if (q >= 0) return portAt(b, i, quadEnd, q, end);
  let close = i + 1;
  while (close < end && b[close] !== 93 /* ] */) close++;
  if (close >= end || close === i + 1) return -1;
  return portAt(b, i, close, ipv4Number(b, i + 1, close), end);
}

/** Where quadAt's address ends (its `]`). */
let quadEnd = 0;

/**
 * The usual client, a dotted quad closed by `]` from i: its number (quadEnd at the `]`), -1 when
 * anything else stands there (ipPortAt then reads it byte by byte).
 */
function quadAt(b: Uint8Array, i: number, end: number): number {
  let j = i;
  let n = 0;
  for (let part = 0; part < 4; part++) {
    if (j + 1 >= end) return -1;
    let d = b[j]! - 48;
    if (d < 0 || d > 9) return -1;
    let v = d;
    j++;
    d = b[j]! - 48;
    if (d >= 0 && d <= 9) {
      v = v * 10 + d;
      j++;
      if (j >= end) return -1;
      d = b[j]! - 48;
      if (d >= 0 && d <= 9) {
        v = v * 10 + d;
        j++;
        if (j >= end) return -1;
      }
    }
    if (v > 255 || b[j] !== (part < 3 ? 46 /* . */ : 93) /* ] */) return -1;
    n = n * 256 + v;
    if (part < 3) j++;
  }
  quadEnd = j;
  return n;
}

/** ipPortAt after the address: `]` at close, then `:port`; the fields, the index after the port. */
function portAt(b: Uint8Array, open: number, close: number, ipv4: number, end: number): number {
  if (b[close + 1] !== 58 /* : */) return -1;
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
  decodedBytes.ipv4 = ipv4;
  decodedBytes.keyStart = open + 1;
  decodedBytes.keyEnd = j;
  return j;
}

/** The violation shape from k: `(?: \d+)?(?: after [\d.]+)? from \[ip\]:(\d+)(?::? (detail))?$`. */
function violationAt(b: Uint8Array, v: DataView, test: PostscreenViolation, k: number, end: number): PsVerdict {
  if (b[k] === 32 && k + 1 < end && b[k + 1]! >= 48 && b[k + 1]! <= 57) k = digitsEndAt(b, k + 1, end);
  if (keywordAt(v, k, AFTER, end)) {
    let j = k + 7;
    while (j < end) {
      const c = b[j]!;
      if (!((c >= 48 && c <= 57) || c === 46)) break;
      j++;
    }
    if (j === k + 7) return PsVerdict.Unsure;
    k = j;
  }
  if (!keywordAt(v, k, FROM, end)) return PsVerdict.Unsure;
  const p = ipPortAt(b, k + 6, end);
  if (p < 0) return PsVerdict.Unsure;
  if (p !== end && !(b[p] === 58 && p + 1 < end && b[p + 1] === 32) && b[p] !== 32) return PsVerdict.Unsure;
  decodedBytes.test = test;
  decodedBytes.rank = null;
  return PsVerdict.Violation;
}

/** The rank shape from k: `(\d+) for \[ip\]:(\d+)`. */
function rankAt(b: Uint8Array, v: DataView, test: PostscreenViolation, k: number, end: number): PsVerdict {
  const r = digitsEndAt(b, k, end);
  if (r === k || !keywordAt(v, r, FOR, end)) return PsVerdict.Unsure;
  let rank = 0;
  for (let j = k; j < r; j++) rank = rank * 10 + (b[j]! - 48);
  if (r - k > 15 || ipPortAt(b, r + 5, end) < 0) return PsVerdict.Unsure;
  decodedBytes.test = test;
  decodedBytes.rank = rank;
  return PsVerdict.Violation;
}

/** The verdict of the message b[i, end) by the table's lane rules, into `decodedBytes`. */
export function decodePostscreenBytes(b: Uint8Array, v: DataView, i: number, end: number): PsVerdict {
  const rules = LANE_RULES[b[i]!];
  if (rules === undefined) return PsVerdict.Unsure;
  for (let n = 0; n < rules.length; n++) {
    const { keyword, rule } = rules[n]!;
    if (!keywordAt(v, i, keyword, end)) continue;
    const k = i + keyword.length;
    switch (rule.shape) {
      case 'connect': {
        const p = ipPortAt(b, k, end);
        return p >= 0 && keywordAt(v, p, TO, end) ? PsVerdict.Connect : PsVerdict.Unsure;
      }
      case 'client':
        if (ipPortAt(b, k, end) < 0) return PsVerdict.Unsure;
        if (rule.verdict === PsVerdict.Pass) decodedBytes.how = rule.how!;
        else if (rule.verdict === PsVerdict.Violation) {
          decodedBytes.test = rule.test!;
          decodedBytes.rank = null;
        }
        return rule.verdict;
      case 'rank':
        return rankAt(b, v, rule.test!, k, end);
      case 'violation':
        return violationAt(b, v, rule.test!, k, end);
    }
  }
  return PsVerdict.Unsure;
}
