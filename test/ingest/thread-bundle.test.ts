// The ingest thread's bundle is kept on disk between runs, and built again when any of its
// input files changes (collectors/ingest-thread/bundle.ts).
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadBundle } from '../../collectors/ingest-thread/bundle';

describe('ingest thread bundle', () => {
  it('is written to the cache, read back while its inputs are unchanged, and rebuilt when one changes', () => {
    const cache = join(mkdtempSync(join(tmpdir(), 'postino-bundle-')), 'thread.json');
    const built = threadBundle(cache);
    expect(built).toContain('a batch before its begin message');
    const saved = JSON.parse(readFileSync(cache, 'utf8')) as { inputs: Array<[string, number, number]>; code: string };
    expect(saved.code).toBe(built);
    expect(saved.inputs.map(([p]) => p)).toContain('collectors/ingest-thread/thread-main.ts');
    // a marker in the cached code shows which path the next call took
    writeFileSync(cache, JSON.stringify({ ...saved, code: '/* cached */' }));
    expect(threadBundle(cache)).toBe('/* cached */');
    // an input that changed (here: its recorded size no longer matches): built again
    const stale = { ...saved, code: '/* cached */', inputs: saved.inputs.map(([p, m, s], i): [string, number, number] => [p, m, i === 0 ? s + 1 : s]) };
    writeFileSync(cache, JSON.stringify(stale));
    expect(threadBundle(cache)).toBe(built);
    // a cache that is not JSON: built again
    writeFileSync(cache, 'not json');
    expect(threadBundle(cache)).toBe(built);
  });
});
