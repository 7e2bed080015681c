// The ingest thread's code as one CommonJS script, built by esbuild and kept on disk. Why: the
// build took ~100 ms at the start of every `postino ingest`, before the ingest thread (the
// bulk ingest's slower stage) could begin. The cache names every input file with its mtime and
// size, so any change of the sources builds it again.
import { buildSync, version as esbuildVersion } from 'esbuild';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface CachedBundle {
  esbuild: string;
  /** [path relative to the package root, mtime ms, size] of every file the bundle was built from */
  inputs: Array<[string, number, number]>;
  code: string;
}

const root = fileURLToPath(new URL('../../', import.meta.url));
/** Where the bundle is kept (under node_modules, which the package owns; a user's clone ignores it). */
export const DEFAULT_CACHE = join(root, 'node_modules', '.cache', 'postino', 'ingest-thread.json');

function fresh(c: CachedBundle): boolean {
  if (c.esbuild !== esbuildVersion) return false;
  for (const [path, mtime, size] of c.inputs) {
    const st = statSync(join(root, path), { throwIfNoEntry: false });
    if (st === undefined || st.mtimeMs !== mtime || st.size !== size) return false;
  }
  return true;
}

/**
 * The bundle of thread-main.ts: from the cache when every input is unchanged, else built (and
 * the cache written, when it can be). null when it cannot be built.
 */
export function threadBundle(cacheFile: string = DEFAULT_CACHE): string | null {
  try {
    const c = JSON.parse(readFileSync(cacheFile, 'utf8')) as CachedBundle;
    if (fresh(c)) return c.code;
  } catch {
    // no cache, or an unreadable one: build
  }
  let code: string;
  let inputs: Array<[string, number, number]>;
  try {
    const r = buildSync({
      entryPoints: [fileURLToPath(new URL('./thread-main.ts', import.meta.url))],
      absWorkingDir: root,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['better-sqlite3'],
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const out = r.outputFiles[0];
    if (out === undefined) return null;
    code = out.text;
    inputs = Object.keys(r.metafile.inputs).map((p) => {
      const st = statSync(join(root, p));
      return [p, st.mtimeMs, st.size];
    });
  } catch {
    return null;
  }
  try {
    // written whole, then renamed: a concurrent ingest reads the old file or the new one
    mkdirSync(dirname(cacheFile), { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ esbuild: esbuildVersion, inputs, code } satisfies CachedBundle));
    renameSync(tmp, cacheFile);
  } catch {
    // a read-only install: build each time
  }
  return code;
}
