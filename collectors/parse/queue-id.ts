// Postfix queue ids, by Postfix's own definition (global/mail_queue.h, MQID_*; the alphabet is
// safe_chars in global/safe_ultostr.c), not by what ids usually look like:
//
// - short (the default): the microseconds as exactly five upper-case hex digits (`%05X`), then
//   the inode number in upper-case hex (`%lX`): `C05A07C2CA0`, `4104E3D`.
// - long (`enable_long_queue_ids = yes`): the seconds in base 52 (six or more characters), the
//   microseconds in base 52 (exactly four), the separator `z`, the inode number in base 51 (the
//   same alphabet without its last character, `z`): `4dhkq9x2lmzrtp3w`, `48rT2v1hQrz1J0N`.
//   The alphabet is the ten digits and the consonants of both cases, so an id may hold no
//   capital and no letter at all in any given place; Postfix finds the separator as the LAST
//   `z` at index 10 or more (MQID_FIND_LG_INUM_SEPARATOR), since the time part may hold `z`s.
//
// Samples: `48rT2v1hQrz1J0N` (Postfix's long id in the corpus), `4dhkq9x2lmzrtp3w`.

/** safe_chars of Postfix's safe_ultostr.c: digits, then consonants upper and lower case. */
export const SAFE_CHARS = '0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz';

/** MQID_SH_USEC_PAD: the short id's microsecond field width. */
const SH_USEC_PAD = 5;
/** MQID_LG_SEC_PAD + MQID_LG_USEC_PAD: the long id's time part is at least this long. */
const LG_TIME_PAD = 10;
/**
 * Upper bounds on lengths, so that a run of hex digits in a message is not taken for an id: an
 * inode number has at most 64 bits (16 hex digits, 12 base-51 digits); the seconds take 6
 * base-52 digits until the year 2595, 7 after.
 */
const SH_MAX = SH_USEC_PAD + 16;
const LG_MAX = LG_TIME_PAD + 1 + 1 + 12;

/** digit value of a character code in SAFE_CHARS, 64 for any other character */
const SAFE_VALUE = new Uint8Array(128).fill(64);
for (let i = 0; i < SAFE_CHARS.length; i++) SAFE_VALUE[SAFE_CHARS.charCodeAt(i)] = i;

function isUpperHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70);
}

// The microsecond fields of ids Postfix writes are below 1,000,000, but that is not checked: the
// shape (alphabet, separator, lengths) already refuses words, and an id a patched or future
// Postfix writes otherwise must not be lost.

/** A short id: five hex digits of microseconds and at least one of inode. */
export function isShortQid(s: string): boolean {
  const n = s.length;
  if (n < SH_USEC_PAD + 1 || n > SH_MAX) return false;
  for (let i = 0; i < n; i++) if (!isUpperHex(s.charCodeAt(i))) return false;
  return true;
}

/** A long id: base-52 time (seconds, then four digits of microseconds), `z`, base-51 inode. */
export function isLongQid(s: string): boolean {
  const n = s.length;
  if (n < LG_TIME_PAD + 2 || n > LG_MAX) return false;
  // the separator is the last `z`, so every digit after it is below 51 by construction
  const sep = s.lastIndexOf('z');
  if (sep < LG_TIME_PAD || sep === n - 1) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || SAFE_VALUE[c]! >= 52) return false;
  }
  return true;
}

/** True for a Postfix queue id of either form (not for words such as `warning`, `statistics`, `NOQUEUE`). */
export function isQid(s: string): boolean {
  return isShortQid(s) || isLongQid(s);
}

/** Longest queue id of either form: a wider token is not one. */
export const QID_MAX_LENGTH = Math.max(SH_MAX, LG_MAX);

/** safe_ultostr: val in base `base` over SAFE_CHARS, left-padded with `0` to `pad` characters. */
export function safeUltostr(val: number, base: number, pad: number): string {
  let out = '';
  let v = Math.floor(val);
  while (v > 0) {
    out = SAFE_CHARS[v % base]! + out;
    v = Math.floor(v / base);
  }
  return out.padStart(pad, '0');
}

/** A long queue id as Postfix's mail_queue_enter makes it (MQID_LG_ENCODE_SEC/USEC, `z`, MQID_LG_ENCODE_INUM). */
export function longQid(sec: number, usec: number, inode: number): string {
  return `${safeUltostr(sec, 52, 6)}${safeUltostr(usec, 52, 4)}z${safeUltostr(inode, 51, 0)}`;
}

/** A short queue id as Postfix makes it: `%05X` of the microseconds, `%lX` of the inode. */
export function shortQid(usec: number, inode: number): string {
  return `${usec.toString(16).toUpperCase().padStart(5, '0')}${inode.toString(16).toUpperCase()}`;
}
