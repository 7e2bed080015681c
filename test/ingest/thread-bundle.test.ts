// Bundles are kept on disk between runs and built again when any of their input files changes
// (bin/bundle-cache.mjs); the ingest thread's is one of them (collectors/ingest-thread/bundle.ts).
import { describe, it, expect } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { threadBundle } from '../../collectors/ingest-thread/bundle';
import { bundleFile } from '../../bin/bundle-cache.mjs';
import { repoRoot } from '../helpers/cli';

type Manifest = { root: string; inputs: Array<[string, number, number]> };

describe('bundle cache', () => {
  it('writes the ingest thread bundle, reads it back while its inputs are unchanged, and rebuilds it when one changes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'postino-bundle-'));
    const file = threadBundle(dir);
    expect(file).toBe(join(dir, 'ingest-thread.cjs'));
    const built = readFileSync(file!, 'utf8');
    expect(built).toContain('a batch before its begin message');
    const manifestFile = join(dir, 'ingest-thread.json');
    const saved = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
    expect(saved.inputs.map(([p]) => p)).toContain('collectors/ingest-thread/thread-main.ts');
    // the thread compiles all of it at start: the config's parser and schema are not its business
    expect(saved.inputs.map(([p]) => p).filter((p) => /node_modules\/(yaml|zod|node-cron)\//.test(p))).toEqual([]);
    // a marker in the cached code shows which path the next call took
    writeFileSync(file!, '/* cached */');
    expect(readFileSync(threadBundle(dir)!, 'utf8')).toBe('/* cached */');
    // an input that changed (here: its recorded size no longer matches): built again
    const stale = { ...saved, inputs: saved.inputs.map(([p, m, s], i): [string, number, number] => [p, m, i === 0 ? s + 1 : s]) };
    writeFileSync(manifestFile, JSON.stringify(stale));
    expect(readFileSync(threadBundle(dir)!, 'utf8')).toBe(built);
    // a manifest that is not JSON: built again
    writeFileSync(file!, '/* cached */');
    writeFileSync(manifestFile, 'not json');
    expect(readFileSync(threadBundle(dir)!, 'utf8')).toBe(built);
    // a bundle built in another place (a copied tree: its paths are that place's): built again
    writeFileSync(file!, '/* cached */');
    writeFileSync(manifestFile, JSON.stringify({ ...saved, root: '/elsewhere/' }));
    expect(readFileSync(threadBundle(dir)!, 'utf8')).toBe(built);
  });

  it('gives the package root to bundled code, and refuses a source that reads import.meta itself', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'postino-bundle-'));
    // sources must lie inside the package; test-artifacts/ is ignored by git
    const srcDir = join(repoRoot, 'test-artifacts', `bundle-${process.pid}`);
    mkdirSync(srcDir, { recursive: true });
    const rel = `test-artifacts/bundle-${process.pid}`;
    try {
      writeFileSync(join(srcDir, 'root.ts'), `export { packageRoot } from '../../core/package-root';\n`);
      const file = bundleFile({ entry: `${rel}/root.ts`, name: 'root', format: 'esm', external: 'packages', cacheDir });
      expect(file).not.toBeNull();
      const bundled = (await import(pathToFileURL(file!).href)) as { packageRoot: string };
      expect(bundled.packageRoot).toBe(join(repoRoot, '/'));

      writeFileSync(join(srcDir, 'own-url.ts'), `export const here = import.meta.url;\n`);
      expect(() => bundleFile({ entry: `${rel}/own-url.ts`, name: 'own-url', format: 'esm', external: 'packages', cacheDir })).toThrow(/own-url\.ts reads import\.meta/);
    } finally {
      rmSync(srcDir, { recursive: true, force: true });
    }
  });

  it('importTypeScript loads the bundle without a TypeScript loader, and registers tsx only when told not to bundle', () => {
    // After importTypeScript, a .ts file imports only if tsx was registered.
    const probe = [
      `import { importTypeScript } from './bin/bundle-cache.mjs';`,
      `const m = await importTypeScript('server/cli/main.ts', 'cli');`,
      `if (typeof m.main !== 'function') throw new Error('no main');`,
      `try { await import('./core/package-root.ts'); console.log('loader'); } catch (e) { console.log(e.code); }`,
    ].join('\n');
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, ...env } });
    const bundled = run({ POSTINO_NO_BUNDLE: '0' });
    expect(bundled.stderr).toBe('');
    expect(bundled.stdout.trim()).toBe('ERR_UNKNOWN_FILE_EXTENSION');
    const viaTsx = run({ POSTINO_NO_BUNDLE: '1' });
    expect(viaTsx.stderr).toBe('');
    expect(viaTsx.stdout.trim()).toBe('loader');
  });
});
