// The reader decodes each chunk in pieces cut at newlines and joins a line carried over from
// the previous chunk without copying the whole chunk: the lines and offsets must be exactly
// those of splitting the whole input at '\n' (a trailing '\r' dropped, an unterminated last
// line left unread).
import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { linesFromStream } from '../../collectors/source/line-reader';

function reference(buf: Buffer): { lines: string[]; end: number } {
  const lastNl = buf.lastIndexOf(0x0a);
  if (lastNl < 0) return { lines: [], end: 0 };
  const lines = buf
    .toString('utf8', 0, lastNl)
    .split('\n')
    .map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  return { lines, end: lastNl + 1 };
}

async function read(buf: Buffer, cuts: number[], batchLines: number): Promise<{ lines: string[]; end: number; batches: number }> {
  const chunks: Buffer[] = [];
  let at = 0;
  for (const c of [...cuts, buf.length]) {
    chunks.push(buf.subarray(at, c));
    at = c;
  }
  const lines: string[] = [];
  let end = 0;
  let batches = 0;
  for await (const b of linesFromStream(Readable.from(chunks), 0, 0, batchLines)) {
    lines.push(...b.lines);
    end = b.endOffset;
    batches++;
  }
  return { lines, end, batches };
}

describe('linesFromStream', () => {
  it('gives the same lines as one split, whatever the chunking', async () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const parts: string[] = [];
    for (let i = 0; i < 1500; i++) {
      const len = rnd(10) === 0 ? 40_000 + rnd(60_000) : rnd(200);
      parts.push(`${i} ${'é€x'.repeat(Math.floor(len / 3))}${rnd(5) === 0 ? '\r' : ''}`);
      if (rnd(50) === 0) parts.push('');
    }
    const buf = Buffer.from(parts.join('\n') + '\npartial line', 'utf8');
    const want = reference(buf);
    for (const step of [1 << 20, 65_536, 4_099, 100_003]) {
      const cuts: number[] = [];
      for (let c = step + rnd(17); c < buf.length; c += step + rnd(1000)) cuts.push(c);
      const got = await read(buf, cuts, 500);
      expect(got.end).toBe(want.end);
      expect(got.lines.length).toBe(want.lines.length);
      expect(got.lines).toEqual(want.lines);
    }
  });

  it('cuts batches at the same chunk ends as before (first chunk end with enough lines)', async () => {
    const buf = Buffer.from(Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n') + '\n');
    const got = await read(buf, [50, 300, 301, 600], 20);
    // chunks end at 50 (7 lines), 300 (~43), 301, 600 (~85), end: a batch at 300 and at 600, then the rest
    expect(got.batches).toBe(3);
    expect(got.lines).toEqual(reference(buf).lines);
  });

  it('gives a taker every line in order, in place or whole; taken lines leave the batch but count in `read`', async () => {
    // ASCII lines in chunks bigger than a piece (64 KB), lines longer than a piece, a CRLF line,
    // and a chunk with UTF-8 (read line by line)
    const all: string[] = [];
    for (let i = 0; i < 3000; i++) all.push(`line ${i} ${i % 500 === 7 ? 'x'.repeat(70_000) : 'y'.repeat(i % 90)}${i === 2000 ? ' é' : ''}`);
    const text = all.map((l, i) => (i === 5 ? l + '\r' : l)).join('\n') + '\nline 3000 (no newline yet)';
    const buf = Buffer.from(text, 'utf8');
    const atSeen: string[] = [];
    const wholeSeen: string[] = [];
    const n = (l: string): number => Number(l.split(' ')[1]);
    const taker = {
      takeAt: (b: Buffer, start: number, end: number): boolean => {
        const line = b.toString('utf8', start, end);
        atSeen.push(line);
        return n(line) % 3 === 1;
      },
      take: (line: string): boolean => {
        wholeSeen.push(line);
        return n(line) % 3 === 2;
      },
    };
    const batches: { lines: string[]; read: number; endOffset: number }[] = [];
    const cuts = [buf.subarray(0, 200_000), buf.subarray(200_000, 250_001), buf.subarray(250_001)];
    for await (const b of linesFromStream(Readable.from(cuts), 0, 0, 400, taker)) batches.push(b);
    expect(atSeen).toEqual(all);
    expect(wholeSeen).toEqual(all.filter((l) => n(l) % 3 !== 1));
    expect(batches.flatMap((b) => b.lines)).toEqual(all.filter((l) => n(l) % 3 === 0));
    expect(batches.reduce((k, b) => k + b.read, 0)).toBe(3000);
    // a batch ends on lines read, not lines kept
    expect(batches[0]!.read).toBeGreaterThanOrEqual(400);
    expect(batches[0]!.lines.length).toBeLessThan(batches[0]!.read);
    expect(batches.at(-1)!.endOffset).toBe(buf.lastIndexOf(0x0a) + 1);
  });
});
