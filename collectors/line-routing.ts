// Which lines the reading thread of a bulk ingest reads itself, besides the postscreen lane's
// (pipeline.ts, laneTaker, says why): tests on a line's string, and the same on its bytes.
import { ascii, bytesAt } from './parse/postscreen-bytes';

/**
 * A line of a postscreen program (`postfix/postscreen`, `postfix-in/postscreen`) that is not a
 * NOQUEUE reject (no postscreen verdict starts so; a reject is a row, for the ingest thread).
 * A journald JSON line names it in SYSLOG_IDENTIFIER, `"postfix/postscreen"`: it is read here
 * too, as this thread owns the open postscreen connections (and saves them with the checkpoint).
 */
export function mayBePostscreenVerdict(line: string): boolean {
  if (line.startsWith('{')) return line.includes('/postscreen"');
  const p = line.indexOf('/postscreen');
  // the tag is `postscreen[pid]:`, or without a pid `postscreen:` (RFC 5424: `postscreen 123 - -`)
  if (p < 0 || !isTagEnd(line.charCodeAt(p + 11))) return false;
  const m = line.indexOf(']: ', p);
  return m < 0 || !line.startsWith('NOQUEUE: ', m + 3);
}

/** `[`, `:` or a space: what may follow a program name in a syslog tag. */
function isTagEnd(c: number | undefined): boolean {
  return c === 0x5b || c === 0x3a || c === 0x20;
}

/**
 * A line with `NOQUEUE: ` after its tag: a reject (or hold, discard...) before any queue file.
 * The tag ends within the first 120 characters; further on, the words would be a message's text.
 * A miss costs nothing but speed: the line goes to the ingest thread, which reads it the same.
 */
export function mayBeNoqueue(line: string): boolean {
  const m = line.indexOf(']: NOQUEUE: ');
  return m > 0 && m < 120;
}

/**
 * Finds a needle in the lines of a buffer visited in order: Buffer.indexOf (native, fast) looks
 * past the line's end, so its answer serves the lines up to that match, and a buffer without
 * one more is searched once, not once per line.
 */
class NextMatch {
  private buf: Uint8Array | null = null;
  /** the first match at or after `from` of the last search (-1: none to the buffer's end) */
  private next = -1;
  private from = 0;

  constructor(private readonly needle: Buffer) {}

  /** The first index of the needle in b[from, end), -1 when none. */
  in(b: Buffer, from: number, end: number): number {
    if (b !== this.buf || from < this.from || (this.next >= 0 && this.next < from)) {
      this.buf = b;
      this.from = from;
      this.next = b.indexOf(this.needle, from);
    }
    return this.next >= 0 && this.next + this.needle.length <= end ? this.next : -1;
  }
}

const TAG_END = ascii(']: ');
const NOQUEUE = ascii('NOQUEUE: ');

/** The first index of `needle` in b[from, end), -1 when none (for a short stretch). */
function indexIn(b: Uint8Array, from: number, end: number, needle: Uint8Array): number {
  const first = needle[0]!;
  const last = end - needle.length;
  for (let i = from; i <= last; i++) if (b[i] === first && bytesAt(b, i, needle, end)) return i;
  return -1;
}

/**
 * The reading thread's line tests of laneTaker.take, on an ASCII line's bytes (where character
 * and byte indexes agree): they must say yes whenever the string tests do, or a line of this
 * thread would go to the ingest thread.
 */
export class LineRouting {
  private readonly jsonPostscreen = new NextMatch(Buffer.from('/postscreen"'));
  private readonly postscreenTag = new NextMatch(Buffer.from('/postscreen'));
  private readonly noqueue = new NextMatch(Buffer.from(']: NOQUEUE: '));

  /** mayBePostscreenVerdict of the line b[start, end) */
  mayBePostscreenVerdict(b: Buffer, start: number, end: number): boolean {
    if (b[start] === 0x7b /* { */) return this.jsonPostscreen.in(b, start, end) >= 0;
    const p = this.postscreenTag.in(b, start, end);
    if (p < 0 || p + 11 >= end || !isTagEnd(b[p + 11])) return false;
    const m = indexIn(b, p, end, TAG_END);
    return m < 0 || !bytesAt(b, m + 3, NOQUEUE, end);
  }

  /** mayBeNoqueue of the line b[start, end) */
  mayBeNoqueue(b: Buffer, start: number, end: number): boolean {
    const m = this.noqueue.in(b, start, end);
    return m > start && m - start < 120;
  }
}
