// Lines packed as bytes, for the ingest thread (see PackedLines).
import { isAscii } from 'node:buffer';
import { latin1Line, utf8Line } from './line-decoders';

/**
 * Lines as their bytes, one after the other: line i is data[ends[i - 1] ?? 0, ends[i]). The bulk
 * ingest hands the lines its reading thread leaves to the ingest thread so: one buffer moved
 * (transferred, not copied), where an array of strings was serialised on one side and made
 * again on the other, and most of those lines need no string on the reading thread at all.
 */
export interface PackedLines {
  data: Uint8Array;
  ends: Uint32Array;
  count: number;
}

/** The strings of packed lines: each decoded as the reader decodes a line (see linesFromStream). */
export function unpackLines(p: PackedLines): string[] {
  const data = Buffer.from(p.data.buffer, p.data.byteOffset, p.data.byteLength);
  const out = new Array<string>(p.count);
  const size = p.count > 0 ? p.ends[p.count - 1]! : 0;
  // An ASCII line decodes the same as latin1 (cheaper) and as UTF-8.
  const allAscii = isAscii(data.subarray(0, size));
  let start = 0;
  for (let i = 0; i < p.count; i++) {
    const end = p.ends[i]!;
    out[i] = allAscii || isAscii(data.subarray(start, end)) ? latin1Line(data, start, end) : utf8Line(data, start, end);
    start = end;
  }
  return out;
}

/** Collects a batch's kept lines as PackedLines. */
export class LinePacker {
  private data: Buffer;
  private ends: Uint32Array;
  private size = 0;
  private count = 0;

  constructor(private capacity = 1 << 16) {
    this.data = Buffer.allocUnsafeSlow(capacity);
    this.ends = new Uint32Array(1024);
  }

  /** b[start, end): a line's bytes in the chunk (any encoding: the receiver decodes as the reader). */
  addBytes(b: Buffer, start: number, end: number): void {
    const n = end - start;
    if (this.size + n > this.data.length) this.grow(n);
    b.copy(this.data, this.size, start, end);
    this.size += n;
    this.endLine();
  }

  /** A line that was already a string (a line joined across chunks, a cut one): its UTF-8. */
  addString(line: string): void {
    const n = Buffer.byteLength(line, 'utf8');
    if (this.size + n > this.data.length) this.grow(n);
    this.size += this.data.write(line, this.size, n, 'utf8');
    this.endLine();
  }

  /** The lines so far; the packer starts again with fresh buffers (these are handed on). */
  take(): PackedLines {
    const out: PackedLines = { data: this.data, ends: this.ends, count: this.count };
    // sized for a batch like this one
    this.capacity = Math.max(1 << 16, Math.ceil(this.size * 1.25));
    this.data = Buffer.allocUnsafeSlow(this.capacity);
    this.ends = new Uint32Array(Math.max(1024, Math.ceil(this.count * 1.25)));
    this.size = 0;
    this.count = 0;
    return out;
  }

  private endLine(): void {
    if (this.count === this.ends.length) {
      const e = new Uint32Array(this.ends.length * 2);
      e.set(this.ends);
      this.ends = e;
    }
    this.ends[this.count++] = this.size;
  }

  private grow(n: number): void {
    const d = Buffer.allocUnsafeSlow(Math.max(this.data.length * 2, this.size + n));
    this.data.copy(d, 0, 0, this.size);
    this.data = d;
  }
}
