// The layering rules of the source tree, as a checker over (file, imported file) pairs, so that
// the test can run it on the real tree and on a planted violation alike.
//
// Layers point down only: core/ at the bottom; collectors/ above it (inside: parse ← correlate ←
// store ← the rest); the analytics folders (sla/, cost/, signals/) above the collectors;
// server/ and reports/ at the top. reports/ never imports server/. Type-only imports of the
// web pages (the shapes of API answers) are exempt: they vanish at build time.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export interface ImportEdge {
  from: string;
  to: string;
  typeOnly: boolean;
}

/** Top folders an import may not reach, per importing area (most specific prefix wins). */
const forbidden: Array<[prefix: string, denied: string[]]> = [
  ['core/', ['collectors/', 'sla/', 'cost/', 'signals/', 'analytics/', 'server/', 'reports/', 'web/']],
  ['collectors/parse/', ['collectors/correlate/', 'collectors/store/', 'collectors/pipeline', 'collectors/follow/', 'collectors/ingest-thread/', 'collectors/journal/', 'collectors/generate/', 'sla/', 'cost/', 'signals/', 'analytics/', 'server/', 'reports/', 'web/']],
  ['collectors/correlate/', ['collectors/store/', 'collectors/pipeline', 'collectors/follow/', 'collectors/ingest-thread/', 'collectors/journal/', 'collectors/generate/', 'sla/', 'cost/', 'signals/', 'analytics/', 'server/', 'reports/', 'web/']],
  ['collectors/store/', ['collectors/pipeline', 'collectors/follow/', 'collectors/ingest-thread/', 'collectors/journal/', 'collectors/generate/', 'sla/', 'cost/', 'signals/', 'analytics/', 'server/', 'reports/', 'web/']],
  ['collectors/', ['sla/', 'cost/', 'signals/', 'analytics/', 'server/', 'reports/', 'web/']],
  ['sla/', ['server/', 'reports/', 'web/']],
  ['cost/', ['server/', 'reports/', 'web/']],
  ['signals/', ['server/', 'reports/', 'web/']],
  ['analytics/', ['server/', 'reports/', 'web/']],
  ['reports/', ['server/', 'web/']],
];

export function violations(edges: ImportEdge[]): string[] {
  const out: string[] = [];
  for (const e of edges) {
    if (e.typeOnly && e.from.startsWith('web/')) continue;
    const rule = forbidden.find(([p]) => e.from.startsWith(p));
    if (!rule) continue;
    const hit = rule[1].find((d) => e.to.startsWith(d));
    if (hit) out.push(`${e.from} imports ${e.to} (${rule[0]} may not import ${hit})`);
  }
  return out;
}

const importRe = /^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/gm;

/** Relative imports of one source text, as root-relative paths (extension left as written). */
export function importsOf(file: string, text: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const m of text.matchAll(importRe)) {
    const spec = m[3] ?? m[4];
    if (!spec) continue;
    const to = join(dirname(file), spec).replace(/\\/g, '/');
    edges.push({ from: file, to, typeOnly: Boolean(m[2]) });
  }
  return edges;
}

const skip = new Set(['node_modules', 'test', 'data', 'bench-data', '.git', 'docs', 'contrib']);

/** Every import edge of the tree's TypeScript sources (tests excluded). */
export function treeEdges(root: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (skip.has(name) || name.startsWith('.')) continue;
      const abs = join(dir, name);
      if (statSync(abs).isDirectory()) walk(abs);
      else if (/\.(ts|mts)$/.test(name) && !name.endsWith('.d.ts')) {
        const rel = relative(root, abs).replace(/\\/g, '/');
        edges.push(...importsOf(rel, readFileSync(abs, 'utf8')));
      }
    }
  };
  walk(resolve(root));
  return edges;
}
