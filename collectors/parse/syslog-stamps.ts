// The time stamps of syslog lines: `Mon dd hh:mm:ss` (English and German month names) and ISO
// 8601, read with charCodeAt; local times converted through a memo of the hour's start.
import type { ParseContext } from './index';
import { localToUnix } from '../../core/time/local-time';

/**
 * Month (1-12) of the three-letter name at the start of `line`, 0 when it is none. English names,
 * plus the German locale's (`Okt 15 23:48:15 c3 postfix/lmtp[48460]: ...`): Mai, Okt, Dez, Mrz.
 * A switch on char codes: no slice, no Map lookup (hot path).
 */
export function monthAt(line: string): number {
  const b = line.charCodeAt(1);
  const c = line.charCodeAt(2);
  switch (line.charCodeAt(0)) {
    case 74 /* J */:
      if (b === 97 /* a */) return c === 110 /* n */ ? 1 : 0;
      if (b === 117 /* u */) return c === 110 /* n */ ? 6 : c === 108 /* l */ ? 7 : 0;
      return 0;
    case 70 /* F */:
      return b === 101 /* e */ && c === 98 /* b */ ? 2 : 0;
    case 77 /* M */:
      if (b === 97 /* a */) return c === 114 /* r */ ? 3 : c === 121 /* y */ || c === 105 /* i */ ? 5 : 0;
      return b === 114 /* r */ && c === 122 /* z */ ? 3 : 0;
    case 65 /* A */:
      if (b === 112 /* p */) return c === 114 /* r */ ? 4 : 0;
      return b === 117 /* u */ && c === 103 /* g */ ? 8 : 0;
    case 83 /* S */:
      return b === 101 /* e */ && c === 112 /* p */ ? 9 : 0;
    case 79 /* O */:
      return (b === 99 /* c */ || b === 107 /* k */) && c === 116 /* t */ ? 10 : 0;
    case 78 /* N */:
      return b === 111 /* o */ && c === 118 /* v */ ? 11 : 0;
    case 68 /* D */:
      return b === 101 /* e */ && (c === 99 /* c */ || c === 122 /* z */) ? 12 : 0;
    default:
      return 0;
  }
}

export function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

export function d2(s: string, i: number): number {
  const a = digit(s, i);
  const b = digit(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

function d4(s: string, i: number): number {
  const a = d2(s, i);
  const b = d2(s, i + 2);
  return a < 0 || b < 0 ? -1 : a * 100 + b;
}

// Memo of the last local hour converted: consecutive lines share it.
let memoTz = '';

let memoY = -1;

let memoM = -1;

let memoD = -1;

let memoH = -1;

let memoBase = 0;

export function localSeconds(tz: string, y: number, m: number, d: number, hh: number, mm: number, ss: number): number {
  if (y !== memoY || m !== memoM || d !== memoD || hh !== memoH || tz !== memoTz) {
    memoBase = localToUnix(tz, y, m, d, hh, 0, 0);
    memoTz = tz;
    memoY = y;
    memoM = m;
    memoD = d;
    memoH = hh;
  }
  return memoBase + mm * 60 + ss;
}

/** Reads `.123456` at i; returns [fraction, index after]. */
export function fraction(s: string, i: number): [number, number] {
  if (s.charCodeAt(i) !== 46) return [0, i];
  let j = i + 1;
  let v = 0;
  let scale = 1;
  while (j < s.length) {
    const c = digit(s, j);
    if (c < 0) break;
    if (scale < 1e9) {
      v = v * 10 + c;
      scale *= 10;
    }
    j++;
  }
  return [v / scale, j];
}

/** `2024-08-25T10:11:12.123456+02:00` (or `Z`, or no fraction) or `2013-08-11 03:56:40` at i. Returns [at, next index]. */
export function isoStamp(line: string, i: number, ctx: ParseContext): [number, number] | null {
  const y = d4(line, i);
  const mo = d2(line, i + 5);
  const d = d2(line, i + 8);
  const hh = d2(line, i + 11);
  const mi = d2(line, i + 14);
  const ss = d2(line, i + 17);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || hh < 0 || hh > 23 || mi < 0 || mi > 59 || ss < 0 || ss > 60) return null;
  if (line.charCodeAt(i + 4) !== 45 || line.charCodeAt(i + 7) !== 45 || line.charCodeAt(i + 13) !== 58 || line.charCodeAt(i + 16) !== 58) return null;
  const sep = line.charCodeAt(i + 10);
  if (sep !== 84 /* T */ && sep !== 32) return null;
  const [frac, j] = fraction(line, i + 19);
  const z = line.charCodeAt(j);
  if (z === 90 /* Z */) return [Date.UTC(y, mo - 1, d, hh, mi, ss) / 1000 + frac, j + 1];
  if (z === 43 || z === 45) {
    const oh = d2(line, j + 1);
    const colon = line.charCodeAt(j + 3) === 58 ? 1 : 0;
    const om = d2(line, j + 3 + colon);
    if (oh < 0 || om < 0) return null;
    const off = (oh * 3600 + om * 60) * (z === 43 ? 1 : -1);
    return [Date.UTC(y, mo - 1, d, hh, mi, ss) / 1000 + frac - off, j + 5 + colon];
  }
  return [localSeconds(ctx.tz, y, mo, d, hh, mi, ss) + frac, j];
}
