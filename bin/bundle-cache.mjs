// Cached esbuild bundles of the TypeScript sources. Why: under tsx every module a command loads
// (ours and those of node_modules) goes through loader hooks that run on a thread of their own;
// a bundle is one plain module: a command starts sooner, with less CPU and memory (figures in
// docs/benchmark.md).
//
// A bundle is kept under node_modules/.cache/postino (the package owns it; a clone ignores it)
// with the list of its inputs (path, mtime, size), and built again when any input changed, so
// an edited source is never run stale. Plain JavaScript: it runs before any TypeScript loader.
//
// Paths: a bundle is one file in another directory, so `import.meta.url` in a source would name
// the bundle. Only core/package-root.ts may read it; the build defines it as that file's own
// URL, and refuses to bundle any other source that reads `import.meta`. This file reads it too,
// and may: it is one directory below the root as well, so '../' from either is the root.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
/** The source whose URL import.meta.url is in a bundle (relative to the package root). */
export const PACKAGE_ROOT_SOURCE = 'core/package-root.ts';
/** The sources that may read import.meta: one directory below the root, as that one is. */
const READS_IMPORT_META = new Set([PACKAGE_ROOT_SOURCE, 'bin/bundle-cache.mjs']);
export const DEFAULT_CACHE_DIR = join(root, 'node_modules', '.cache', 'postino');

const require = createRequire(import.meta.url);

/** esbuild's version from its package.json: cheaper than loading esbuild when the cache is fresh. */
function esbuildVersion() {
  try {
    return JSON.parse(readFileSync(require.resolve('esbuild/package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

/** @param {string} path relative to the package root */
function stamp(path) {
  const st = statSync(join(root, path), { throwIfNoEntry: false });
  return st === undefined ? null : [st.mtimeMs, st.size];
}

/**
 * Whether a manifest's bundle was built by this esbuild from the sources as they are now.
 * @param {unknown} m
 * @param {string | null} version
 */
function fresh(m, version) {
  // root: the bundle holds absolute paths (package-root.ts's URL); a moved tree builds anew
  if (m === null || typeof m !== 'object' || m.esbuild !== version || m.root !== root || !Array.isArray(m.inputs)) return false;
  for (const input of m.inputs) {
    if (!Array.isArray(input) || input.length !== 3) return false;
    const s = stamp(input[0]);
    if (s === null || s[0] !== input[1] || s[1] !== input[2]) return false;
  }
  return true;
}

/** Writes whole, then renames: a concurrent reader sees the old file or the new one. */
function writeAtomically(file, text) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/**
 * The file of an up-to-date bundle of `entry`: from the cache when no input changed, else built
 * into the cache. null when it cannot be built or written (a read-only install): the caller
 * then loads the TypeScript through tsx.
 *
 * @param {{ entry: string, name: string, format: 'esm' | 'cjs', external: 'packages' | string[], cacheDir?: string }} spec
 *   entry relative to the package root; external: every package ('packages', for a bundle
 *   kept under node_modules, which resolves them from there) or the ones named
 * @returns {string | null}
 */
export function bundleFile(spec) {
  const dir = spec.cacheDir ?? DEFAULT_CACHE_DIR;
  const file = join(dir, `${spec.name}.${spec.format === 'esm' ? 'mjs' : 'cjs'}`);
  const manifestFile = join(dir, `${spec.name}.json`);
  const version = esbuildVersion();
  try {
    if (fresh(JSON.parse(readFileSync(manifestFile, 'utf8')), version)) return file;
  } catch {
    // no manifest, or an unreadable one: build
  }
  return build(spec, file, manifestFile, version);
}

function build(spec, file, manifestFile, version) {
  const started = Date.now();
  let result;
  try {
    const esbuild = require('esbuild');
    result = esbuild.buildSync({
      entryPoints: [join(root, spec.entry)],
      absWorkingDir: root,
      outfile: file,
      bundle: true,
      platform: 'node',
      format: spec.format,
      target: 'node20',
      ...(spec.external === 'packages' ? { packages: 'external' } : { external: spec.external }),
      // CommonJS packages bundled into an ES module call require(): give them one.
      ...(spec.format === 'esm' && spec.external !== 'packages' ? { banner: { js: "import { createRequire as __postinoRequire } from 'node:module'; const require = __postinoRequire(import.meta.url);" } } : {}),
      define: { 'import.meta.url': JSON.stringify(pathToFileURL(join(root, PACKAGE_ROOT_SOURCE)).href) },
      sourcemap: 'linked',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
  } catch {
    return null;
  }
  // Packages bundled in count as inputs too: an upgraded one builds the bundle again.
  const inputs = Object.keys(result.metafile.inputs);
  for (const p of inputs.filter((i) => !i.split(/[\\/]/).includes('node_modules'))) {
    if (!READS_IMPORT_META.has(p) && readFileSync(join(root, p), 'utf8').includes('import.meta')) {
      throw new Error(`${p} reads import.meta, which names the bundle once bundled: take paths from ${PACKAGE_ROOT_SOURCE}`);
    }
  }
  const stamped = inputs.map((p) => [p, ...(stamp(p) ?? [0, -1])]);
  try {
    mkdirSync(dirname(file), { recursive: true });
    for (const out of result.outputFiles) writeAtomically(out.path, out.contents);
    // An input edited during the build would be recorded as the bundle's: keep no manifest then
    // (the next run builds again). A time past now is no such edit (a tree from a fast clock).
    const now = Date.now();
    if (stamped.every(([, mtime]) => mtime < started || mtime > now)) writeAtomically(manifestFile, JSON.stringify({ esbuild: version, root, inputs: stamped }));
  } catch {
    return null; // a read-only install: no bundle, the caller falls back to tsx
  }
  return file;
}

/**
 * Imports a TypeScript module of the package: from its bundle when there is one, else through
 * tsx. `name` names the bundle in the cache.
 * @param {string} entry relative to the package root
 * @param {string} name
 */
export async function importTypeScript(entry, name) {
  const file = process.env.POSTINO_NO_BUNDLE === '1' ? null : bundleFile({ entry, name, format: 'esm', external: 'packages' });
  // Source maps are written beside each bundle but not turned on here: they slow every start. `node --enable-source-maps bin/postino.mjs ...` gives stack traces in
  // TypeScript lines.
  if (file !== null) return import(pathToFileURL(file).href);
  const { register } = await import('tsx/esm/api');
  register();
  return import(pathToFileURL(join(root, entry)).href);
}
