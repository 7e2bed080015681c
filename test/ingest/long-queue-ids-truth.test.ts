// A generated day whose Postfix hosts use long queue ids (enable_long_queue_ids), drawn with
// Postfix's algorithm, gives exactly its truth. 2025-12-31 is a day whose ids start `4dg`/`4dh`
// (no capital in the seconds' leading digits), so all-lower-case ids occur as in real logs.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { postino, tempDir } from '../helpers/cli';
import { figureNames } from '../../core/rollup/figures';
import { isQid } from '../../collectors/parse/queue-id';

type Day = { date: string } & Record<string, number>;

let truth: { days: Day[] };
let summary: { days: Day[] };
let totals: { unparsed: number; lines: number };
let ids: string[];

beforeAll(() => {
  const dir = tempDir('postino-longids-');
  const log = join(dir, 'mail.log');
  const gen = postino(['generate', '--days', '1', '--scale', '0.05', '--start', '2025-12-31', '--seed', '5', '--queue-ids', 'long', '--out', log, '--truth', join(dir, 'truth.json')]);
  expect(gen.status, gen.stderr).toBe(0);
  truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'));
  ids = [...new Set([...readFileSync(log, 'utf8').matchAll(/postfix\/(?:qmgr)\[\d+\]: ([0-9A-Za-z]+): removed/g)].map((m) => m[1]!))];
  const ing = postino(['ingest', '--db', join(dir, 'p.db'), '--json', log]);
  expect(ing.status, ing.stderr).toBe(0);
  totals = JSON.parse(ing.stdout);
  const sum = postino(['summary', '--db', join(dir, 'p.db'), '--from', '2025-12-31', '--to', '2025-12-31', '--json']);
  expect(sum.status, sum.stderr).toBe(0);
  summary = JSON.parse(sum.stdout);
});

describe('a generated day with long queue ids', () => {
  it('holds long ids only, all-lower-case ones among them, every one a queue id', () => {
    expect(ids.length).toBeGreaterThan(1000);
    for (const q of ids) expect(q).toMatch(/^[0-9A-Za-z]{10,}z[0-9A-Za-y]+$/);
    expect(ids.filter((q) => !/[A-Z]/.test(q)).length).toBeGreaterThan(0);
    for (const q of ids) expect(isQid(q), q).toBe(true);
  });

  it('every line is read', () => {
    expect(totals.unparsed).toBe(0);
  });

  for (const name of figureNames) {
    it(`${name}: equal to the truth`, () => {
      expect(summary.days.map((d) => d[name])).toEqual(truth.days.map((d) => d[name]));
    });
  }
});
