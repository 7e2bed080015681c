// Every line of the real corpus in test/fixtures/corpus/*.log (each file keeps its source
// header, the `#` lines, which are left out here).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const corpusDir = join(__dirname, '..', 'fixtures', 'corpus');

export function allCorpusLines(): string[] {
  const lines: string[] = [];
  for (const f of readdirSync(corpusDir)) {
    if (!f.endsWith('.log')) continue;
    for (const l of readFileSync(join(corpusDir, f), 'utf8').split('\n')) if (l && !l.startsWith('#')) lines.push(l);
  }
  return lines;
}
