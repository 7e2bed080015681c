// Whole lines from a file (plain or gzip) or a stream, each batch with the byte offset
// just after its last line, so a checkpoint can name exactly what was consumed.
// A last line without its newline is not consumed: it is read again, whole, next time.
import { createReadStream, openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { isAscii } from 'node:buffer';
import { latin1Line, utf8Line } from './line-decoders';
import { LinePacker, type PackedLines } from './packed-lines';

export { unpackLines, type PackedLines } from './packed-lines';

export interface LineBatch {
  /** the lines read (no `take` hook) */
  lines: string[];
  /** with a `take` hook: the lines it did not consume, as bytes (see PackedLines) */
  packed: PackedLines | null;
  /** how many lines were read into this batch, taken ones included */
  read: number;
  /** bytes of content consumed after this batch (decompressed bytes for .gz) */
  endOffset: number;
}

/** A run of bytes without newline longer than this is cut and handed on as one line. */
export const MAX_LINE_BYTES = 1 << 20;
/** How many leading content bytes identify a file. */
export const FINGERPRINT_BYTES = 1024;

const NL = 0x0a;
const CR = 0x0d;

export function sha1(buf: Buffer): string {
  return createHash('sha1').update(buf).digest('hex');
}

/**
 * Sees each line as it is read, in order; a line it consumes is not kept in the batch. Why: the
 * bulk ingest's postscreen lane takes most lines so, in place, without a string of their own
 * (a string per line and its garbage collection were much of the reading thread's time), and a line kept in a batch of 20,000 would be copied by the garbage collector once or twice.
 */
export interface LineTaker {
  /** The line's bytes b[start, end): `b` holds the lines around it too. True when consumed. */
  takeAt(b: Buffer, start: number, end: number): boolean;
  /** The same line as its own string, when takeAt did not consume it. True when consumed. */
  take(line: string): boolean;
  /**
   * Of an ASCII line takeAt did not consume: false when `take` would not consume it either, so
   * that the line needs no string (it is kept as bytes). Absent: every such line is offered.
   */
  mayTake?(b: Buffer, start: number, end: number): boolean;
}

/**
 * Splits a byte stream into line batches. `skip` content bytes are dropped first
 * (resuming a compressed file), `startOffset` is the content offset of the stream's first byte.
 * A batch ends after `batchLines` lines read (taken ones included).
 */
export async function* linesFromStream(stream: Readable, startOffset: number, skip = 0, batchLines = 20_000, take: LineTaker | null = null): AsyncGenerator<LineBatch> {
  let offset = startOffset; // content offset of the first byte of `rest`
  let toSkip = skip;
  let rest: Buffer | null = null;
  let lines: string[] = [];
  let read = 0;
  const packer = take === null ? null : new LinePacker();
  const keep = (line: string): void => {
    read++;
    if (take === null) lines.push(line);
    else {
      const b = Buffer.from(line, 'utf8');
      if (!(take.takeAt(b, 0, b.length) || take.take(line))) packer!.addString(line);
    }
  };
  const batch = (endOffset: number): LineBatch => {
    const out: LineBatch = { lines, packed: packer?.take() ?? null, read, endOffset };
    lines = [];
    read = 0;
    return out;
  };
  for await (const raw of stream as AsyncIterable<Buffer>) {
    let chunk: Buffer = raw;
    if (toSkip > 0) {
      if (chunk.length <= toSkip) {
        toSkip -= chunk.length;
        offset += chunk.length;
        continue;
      }
      chunk = chunk.subarray(toSkip);
      offset += toSkip;
      toSkip = 0;
    }
    let buf: Buffer = chunk;
    let pos = 0; // where the undecoded lines of buf start
    let joined = 0; // bytes of `rest` consumed with the first line
    if (rest) {
      const nl = chunk.indexOf(NL);
      if (nl < 0) buf = Buffer.concat([rest, chunk]);
      else {
        // The line carried over ends in this chunk: join only its bytes, not the whole chunk.
        let p = Buffer.concat([rest, chunk.subarray(0, nl)]).toString('utf8');
        if (p.length && p.charCodeAt(p.length - 1) === 13) p = p.slice(0, -1);
        keep(p);
        joined = rest.length;
        rest = null;
        pos = nl + 1;
      }
    }
    const lastNl = buf.lastIndexOf(NL);
    if (lastNl < 0) {
      rest = buf;
      if (rest.length > MAX_LINE_BYTES) {
        // No newline in sight: hand on what we have as one (garbage) line rather than grow forever.
        keep(rest.toString('utf8'));
        offset += rest.length;
        rest = null;
      }
      continue;
    }
    // Decode each line on its own (a line the taker consumed, from its bytes, needs no string):
    // a line is then a flat string, not a slice of a bigger one.
    // Flat strings are read faster by every parser, and a
    // kept line (a trace line, a reject's reply) does not keep the text around it alive.
    // A chunk that is all ASCII (the usual case) is decoded as latin1, which is the same text
    // for ASCII bytes and cheaper than UTF-8 decoding.
    const decode = isAscii(buf.subarray(pos, lastNl)) ? latin1Line : utf8Line;
    if (take === null) {
      while (pos <= lastNl) {
        const nl = buf.indexOf(NL, pos);
        lines.push(decode(buf, pos, nl > pos && buf[nl - 1] === CR ? nl - 1 : nl));
        pos = nl + 1;
        read++;
      }
    } else {
      // A line gets a string only if the taker may take it whole; the lines it leaves are kept
      // as bytes, which the receiver decodes as `decode` would (unpackLines).
      const mayTake = decode === latin1Line ? take.mayTake : undefined;
      const pack = packer!;
      while (pos <= lastNl) {
        const nl = buf.indexOf(NL, pos);
        const end = nl > pos && buf[nl - 1] === CR ? nl - 1 : nl;
        if (!take.takeAt(buf, pos, end)) {
          const offered = mayTake === undefined || mayTake(buf, pos, end);
          if (!offered || !take.take(decode(buf, pos, end))) pack.addBytes(buf, pos, end);
        }
        pos = nl + 1;
        read++;
      }
    }
    offset += joined + lastNl + 1;
    rest = lastNl + 1 < buf.length ? buf.subarray(lastNl + 1) : null;
    if (read >= batchLines) yield batch(offset);
  }
  if (read > 0) yield batch(offset);
}

export interface FileLinesOptions {
  startOffset: number;
  compressed: boolean;
  batchLines?: number;
  /** read up to this byte (plain files): what the size was when we looked */
  end?: number;
  /** sees each line first (see LineTaker) */
  take?: LineTaker | null;
}

export function linesFromFile(path: string, opts: FileLinesOptions): AsyncGenerator<LineBatch> {
  if (opts.compressed) {
    const gz = createReadStream(path, { highWaterMark: 1 << 20 }).pipe(createGunzip());
    return linesFromStream(gz, 0, opts.startOffset, opts.batchLines, opts.take ?? null);
  }
  const stream = createReadStream(path, {
    start: opts.startOffset,
    ...(opts.end !== undefined ? { end: Math.max(opts.startOffset, opts.end - 1) } : {}),
    highWaterMark: 1 << 20,
  });
  if (opts.end !== undefined && opts.end <= opts.startOffset) {
    stream.destroy();
    return (async function* () {})();
  }
  return linesFromStream(stream, opts.startOffset, 0, opts.batchLines, opts.take ?? null);
}

export interface FileFacts {
  dev: number;
  ino: number;
  size: number;
  mtime: Date;
  compressed: boolean;
  /** first FINGERPRINT_BYTES bytes of content (decompressed for gzip) */
  head: Buffer;
}

/** Reads identity facts of an open path; throws ENOENT etc. for the caller to report. */
export async function fileFacts(path: string): Promise<FileFacts> {
  const fd = openSync(path, 'r');
  let st;
  let compressed = false;
  let head: Buffer;
  try {
    st = fstatSync(fd);
    if (st.isDirectory()) throw Object.assign(new Error(`${path} is a directory`), { code: 'EISDIR' });
    const b = Buffer.alloc(FINGERPRINT_BYTES);
    const n = readSync(fd, b, 0, FINGERPRINT_BYTES, 0);
    head = b.subarray(0, n);
    compressed = n >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
  if (compressed) head = await gunzipHead(path, FINGERPRINT_BYTES);
  return { dev: st.dev, ino: st.ino, size: st.size, mtime: st.mtime, compressed, head };
}

async function gunzipHead(path: string, n: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let got = 0;
  const stream = createReadStream(path).pipe(createGunzip());
  try {
    for await (const c of stream as AsyncIterable<Buffer>) {
      parts.push(c);
      got += c.length;
      if (got >= n) break;
    }
  } catch {
    // A truncated or corrupt gzip: identify it by what could be read.
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts).subarray(0, n);
}
