// Our counts against pflogsumm 1.1.5 on the same real lines
// (test/fixtures/pflogsumm/: the corpus' derived postfix-only file and pflogsumm's output on it,
// see README.txt there). Every difference is deliberate and stated here.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDb, type Db } from '../../core/db/open';
import { parseConfig } from '../../core/config/load';
import { Pipeline } from '../../collectors/pipeline';
import { computeFigures, type Figures } from '../../core/rollup/figures';
import { tempDir } from '../helpers/cli';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'pflogsumm');
const logFile = join(fixtures, 'postfix-only_rfc3164.log');
const lines = readFileSync(logFile, 'utf8').split('\n').filter(Boolean);

/** Grand totals as pflogsumm printed them. */
function pflogsumm(): { rejected: number; bounced: number; deferrals: number } {
  const out = readFileSync(join(fixtures, 'pflogsumm-output.txt'), 'utf8');
  const num = (re: RegExp): number => Number(re.exec(out)?.[1]);
  return {
    rejected: num(/^\s+(\d+)\s+rejected\b/m),
    bounced: num(/^\s+(\d+)\s+bounced\b/m),
    deferrals: num(/\((\d+)\s+deferrals\)/m),
  };
}

let figures: Figures;
let db: Db;

beforeAll(async () => {
  const path = join(tempDir(), 'p.db');
  db = openDb(path);
  const pipeline = new Pipeline(db, parseConfig({ database: path }));
  // The file mixes years; --year only fixes which year a stamp gets, not what is counted.
  await pipeline.ingestFile(logFile, { year: 2014 });
  figures = computeFigures(db, 0, 2 ** 40);
});

describe('agreement with pflogsumm 1.1.5 on postfix-only_rfc3164.log', () => {
  it('deferrals: every status=deferred line, as pflogsumm counts them', () => {
    expect(figures.deferrals).toBe(pflogsumm().deferrals);
  });

  it('rejected: pflogsumm misses the reject lines of instance-named syslog tags', () => {
    // pflogsumm 1.1.5 recognises only `postfix/...` tags; METRICS.md counts the reject
    // lines of every Postfix instance (`postfix-incoming/smtpd`, `postfix-smo/submission/smtpd`),
    // including `milter-reject`.
    const instanceRejects = lines.filter((l) => / postfix-[\w-]+\/[\w/-]+\[\d+\]: .*\b(milter-)?reject: /.test(l)).length;
    expect(instanceRejects).toBe(3);
    expect(figures.rejected).toBe(pflogsumm().rejected + instanceRejects);
  });

  it('bounced: every status=bounced line with a readable time stamp', () => {
    // One bounced line carries the German month `Okt`: pflogsumm counts it (and warns that
    // its month is undefined); we recognise German month names too, so the counts agree.
    expect(figures.bounced).toBe(pflogsumm().bounced);
  });

  it('greylisted: the reject lines whose reply says greylist (METRICS.md), not postgrey\'s custom "Delayed by postgrey"', () => {
    const rejectLines = lines.filter((l) => /\b(milter-)?reject: /.test(l));
    const saysGreylist = rejectLines.filter((l) => /greylist/i.test(l.slice(l.indexOf('reject: '))));
    expect(rejectLines.some((l) => /Delayed by postgrey/.test(l))).toBe(true);
    expect(figures.greylisted).toBe(saysGreylist.length);
  });
});
