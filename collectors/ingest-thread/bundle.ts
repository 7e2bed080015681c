// The ingest thread's code as one CommonJS file, built by esbuild and kept on disk
// (bin/bundle-cache.mjs). Why: the thread then needs no TypeScript loader, which would be a
// thread and a heap of its own, and the build is not paid at the start of every `postino ingest`,
// before the ingest thread (the slower stage by day) can begin.
import { bundleFile, DEFAULT_CACHE_DIR } from '../../bin/bundle-cache.mjs';

/**
 * The file of the bundle of thread-main.ts: up to date with its sources (built again when any
 * changed). null when it cannot be built: the thread then loads the TypeScript through tsx.
 */
export function threadBundle(cacheDir: string = DEFAULT_CACHE_DIR): string | null {
  return bundleFile({ entry: 'collectors/ingest-thread/thread-main.ts', name: 'ingest-thread', format: 'cjs', external: ['better-sqlite3'], cacheDir });
}
