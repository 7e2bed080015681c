// The browser bundles build with esbuild, chart.js included, one module per page.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, basename } from 'node:path';
import { buildWeb, entryPoints } from '../../web/build';

describe('web build', () => {
  it('bundles every page module of web/src into one file each', async () => {
    const out = mkdtempSync(join(tmpdir(), 'postino-web-'));
    try {
      const r = await buildWeb({ outdir: out });
      expect(r.built).toBe(true);
      const pages = entryPoints().map((p) => basename(p, '.ts'));
      expect(pages).toEqual(expect.arrayContaining(['wall', 'overview', 'trace', 'login', 'later']));
      const files = readdirSync(out);
      for (const p of pages) expect(files).toContain(`${p}.js`);
      // chart.js is bundled (in a page or a shared chunk), not loaded from a CDN
      const all = [...files.filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(out, f), 'utf8')), ...readdirSync(join(out, 'chunks')).map((f) => readFileSync(join(out, 'chunks', f), 'utf8'))].join('\n');
      expect(all).toMatch(/chart\.js|Chart/);
      expect(all).not.toMatch(/https?:\/\/cdn/);
      // page code never assigns innerHTML
      for (const p of pages) expect(readFileSync(join('web/src', `${p}.ts`), 'utf8')).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('every page references its bundle and the shared styles only', () => {
    for (const page of ['index', 'wall', 'trace', 'login', 'later']) {
      const html = readFileSync(join('web', `${page}.html`), 'utf8');
      expect(html).toMatch(/<script type="module" src="\/assets\/[a-z]+\.js"><\/script>/);
      expect(html).toContain('/static/styles.css');
      expect(html).not.toMatch(/<script>|on(click|load|error)=/);
    }
  });
});
