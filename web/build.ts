// Bundles the browser modules web/src/<page>.ts into web/dist/<page>.js with esbuild
// (chart.js from node_modules). `serve` builds on start when dist is missing or stale.
import { build } from 'esbuild';
import { readdirSync, statSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../core/package-root';

export const webDir = join(packageRoot, 'web');
const srcDir = join(webDir, 'src');
const distDir = join(webDir, 'dist');
const stamp = join(distDir, '.built');

/** Pages are the top-level modules of web/src; shared code lives in web/src/lib. */
export function entryPoints(): string[] {
  return readdirSync(srcDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => join(srcDir, f));
}

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

export function isStale(): boolean {
  if (!existsSync(stamp)) return true;
  return newestMtime(srcDir) > statSync(stamp).mtimeMs;
}

export async function buildWeb(opts: { force?: boolean; minify?: boolean; outdir?: string } = {}): Promise<{ built: boolean; files: string[] }> {
  const outdir = opts.outdir ?? distDir;
  if (!opts.force && !opts.outdir && !isStale()) return { built: false, files: [] };
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    entryPoints: entryPoints(),
    outdir,
    bundle: true,
    format: 'esm',
    splitting: true,
    platform: 'browser',
    target: ['es2022'],
    minify: opts.minify ?? true,
    sourcemap: true,
    metafile: true,
    logLevel: 'silent',
    chunkNames: 'chunks/[name]-[hash]',
  });
  writeFileSync(join(outdir, '.built'), new Date().toISOString() + '\n');
  return { built: true, files: Object.keys(result.metafile.outputs) };
}
