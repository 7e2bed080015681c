import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/package-root';
import { importsOf, treeEdges, violations } from './layering';

describe('layering', () => {
  it('the tree imports only downwards', () => {
    const edges = treeEdges(packageRoot);
    // the checker really saw the tree: the pipeline reads the core's database module
    expect(edges.some((e) => e.from === 'collectors/pipeline.ts' && e.to === 'core/db/open')).toBe(true);
    expect(violations(edges)).toEqual([]);
  });

  it('a planted upward import is found', () => {
    const planted = [
      ...importsOf('collectors/pipeline.ts', "import { x } from '../server/http/app';"),
      ...importsOf('core/rollup/rollup.ts', "import type { Y } from '../../collectors/parse/events';"),
      ...importsOf('collectors/parse/postfix.ts', "export { z } from '../correlate/records';"),
      ...importsOf('reports/render.ts', "const m = await import('../server/http/app');"),
    ];
    expect(violations(planted)).toHaveLength(4);
  });

  it('downward imports pass', () => {
    const fine = [
      ...importsOf('server/cli/main.ts', "import { a } from '../../collectors/pipeline';"),
      ...importsOf('collectors/store/sqlite-store.ts', "import type { Db } from '../../core/db/open';"),
      ...importsOf('collectors/correlate/correlator.ts', "import { b } from '../parse/events';"),
    ];
    expect(fine).toHaveLength(3);
    expect(violations(fine)).toEqual([]);
  });
});
