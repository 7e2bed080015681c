// Realistic central-syslog generator for the observed @unipi mail service, emitting its
// own truth (the METRICS.md daily figures of exactly the lines it wrote).
import { isCalendarDate } from '../../core/time/local-time';
import { createWriteStream } from 'node:fs';
import { utimes } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Generator, type GenerateOptions, type GenerateResult, type Sink } from './generator';

export type { GenerateOptions, GenerateResult, Sink } from './generator';

/** Streams lines (without trailing newline) to `sink`, in time order; returns counts and truth. */
export async function generate(opts: GenerateOptions, sink: Sink): Promise<GenerateResult> {
  const o: GenerateOptions = { ...opts, tz: opts.tz || 'Europe/Rome' };
  if (!isCalendarDate(o.start)) throw new Error(`generate: bad start date ${o.start}`);
  if (!(o.days >= 1)) throw new Error('generate: days must be >= 1');
  if (!(o.scale > 0)) throw new Error('generate: scale must be > 0');
  return new Generator(o, sink).run();
}

/** Writes to `path` ('.gz' suffix: gzip), buffered, with backpressure; sets mtime to the last line. */
export async function generateToFile(opts: GenerateOptions, path: string): Promise<GenerateResult> {
  const file = createWriteStream(path);
  let out: Writable = file;
  if (path.endsWith('.gz')) {
    const gz = createGzip({ level: 6 });
    gz.pipe(file);
    out = gz;
  }
  let buf = '';
  const drain = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const onDrain = (): void => {
        out.off('error', onError);
        resolve();
      };
      const onError = (e: Error): void => {
        out.off('drain', onDrain);
        reject(e);
      };
      out.once('drain', onDrain);
      out.once('error', onError);
    });
  const sink = (line: string): void | Promise<void> => {
    buf += line;
    buf += '\n';
    if (buf.length >= 65536) {
      const ok = out.write(buf);
      buf = '';
      if (!ok) return drain();
    }
    return undefined;
  };
  let res: GenerateResult;
  try {
    res = await generate(opts, sink);
    out.end(buf);
    buf = '';
    await finished(file);
  } catch (e) {
    file.destroy();
    throw e;
  }
  if (res.lastAt > 0) await utimes(path, res.lastAt, res.lastAt);
  return res;
}
