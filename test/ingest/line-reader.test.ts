// The reader decodes each chunk in pieces cut at newlines and joins a line carried over from
// the previous chunk without copying the whole chunk: the lines and offsets must be exactly
// those of splitting the whole input at '\n' (a trailing '\r' dropped, an unterminated last
// line left unread).
import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { linesFromStream, unpackLines, type LineBatch } from '../../collectors/source/line-reader';

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
    const batches: LineBatch[] = [];
    const cuts = [buf.subarray(0, 200_000), buf.subarray(200_000, 250_001), buf.subarray(250_001)];
    for await (const b of linesFromStream(Readable.from(cuts), 0, 0, 400, taker)) batches.push(b);
    expect(atSeen).toEqual(all);
    expect(wholeSeen).toEqual(all.filter((l) => n(l) % 3 !== 1));
    // kept lines travel packed as bytes
    expect(batches.every((b) => b.lines.length === 0)).toBe(true);
    expect(batches.flatMap((b) => unpackLines(b.packed!))).toEqual(all.filter((l) => n(l) % 3 === 0));
    expect(batches.reduce((k, b) => k + b.read, 0)).toBe(3000);
    // a batch ends on lines read, not lines kept
    expect(batches[0]!.read).toBeGreaterThanOrEqual(400);
    expect(batches[0]!.packed!.count).toBeLessThan(batches[0]!.read);
    expect(batches.at(-1)!.endOffset).toBe(buf.lastIndexOf(0x0a) + 1);
  });

  it('packed lines decode exactly as the reader decodes them, whatever the chunking; mayTake spares a string', async () => {
    // From line 1500 on: Latin-1 and CJK text, invalid UTF-8; everywhere: a CR before the
    // newline, an empty line, a line longer than a chunk
    const parts: Buffer[] = [];
    const startOf: number[] = [];
    let size = 0;
    for (let i = 0; i < 2000; i++) {
      let p: Buffer;
      if (i >= 1500 && i % 7 === 1) p = Buffer.from(`line ${i} caf\u00e9 \u6f22\u5b57`, 'utf8');
      else if (i >= 1500 && i % 11 === 2) p = Buffer.concat([Buffer.from(`line ${i} bad `), Buffer.from([0xc3, 0x28, 0xff, 0xe2, 0x82])]);
      else if (i % 211 === 9) p = Buffer.from(`line ${i} crlf\r`);
      else if (i === 500) p = Buffer.alloc(0);
      else if (i === 700) p = Buffer.from(`line ${i} ` + 'x'.repeat(70_000));
      else p = Buffer.from(`line ${i} plain ascii text`);
      startOf.push(size);
      parts.push(p, Buffer.from('\n'));
      size += p.length + 1;
    }
    const buf = Buffer.concat(parts);
    const expected = reference(buf).lines;
    const offered = new Set<string>();
    const taker = {
      takeAt: (): boolean => false,
      take: (line: string): boolean => {
        offered.add(line);
        return false;
      },
      // only lines with a "7" may be taken whole
      mayTake: (b: Buffer, start: number, end: number): boolean => b.subarray(start, end).includes('7'),
    };
    // cut inside a line, at line starts, in the long line; always one cut at line 1000
    for (const cuts of [[startOf[1000]!], [1001, 65_536, startOf[1000]! + 3], [3, startOf[700]! + 20_000, startOf[1000]!, startOf[1600]! + 5]]) {
      offered.clear();
      const got: string[] = [];
      const chunks: Buffer[] = [];
      let at = 0;
      for (const c of [...cuts.sort((x, y) => x - y), buf.length]) {
        chunks.push(buf.subarray(at, c));
        at = c;
      }
      for await (const b of linesFromStream(Readable.from(chunks), 0, 0, 300, taker)) got.push(...unpackLines(b.packed!));
      expect(got).toEqual(expected);
      // mayTake's lines are offered; lines it refuses in an ASCII chunk are not; a chunk that is
      // not all ASCII offers every line
      expect(expected.filter((l) => l.includes('7')).every((l) => offered.has(l))).toBe(true);
      // (a line cut between chunks is joined as a string, and offered)
      const cut = new Set(cuts.filter((c) => !startOf.includes(c)).map((c) => expected[startOf.findLastIndex((st) => st < c)]));
      expect(expected.slice(0, 999).filter((l) => !l.includes('7') && offered.has(l) && !cut.has(l))).toEqual([]);
      expect(expected.slice(1700).filter((l) => !l.includes('7') && offered.has(l)).length).toBeGreaterThan(100);
    }
  });
});
