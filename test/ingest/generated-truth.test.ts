// End to end through the real CLI: generate logs of the observed system with their truth,
// ingest them, and compare `summary --json` with what the generator knows it wrote —
// every field, every day. The run crosses New Year and contains the mailbox-server outage
// (a multi-recipient message deferred on mbox1 and delivered later).
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { postino, tempDir } from '../helpers/cli';
import { figureNames } from '../../core/rollup/figures';
import Database from 'better-sqlite3';

type Day = { date: string } & Record<string, number>;

let dir: string;
let truth: { days: Day[] };
let summary: { days: Day[] };
let log: string;

beforeAll(() => {
  dir = tempDir('postino-truth-');
  log = join(dir, 'mail.log');
  const gen = postino(['generate', '--days', '3', '--scale', '0.01', '--start', '2025-12-30', '--seed', '7', '--out', log, '--truth', join(dir, 'truth.json')]);
  expect(gen.status, gen.stderr).toBe(0);
  truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'));
  const ing = postino(['ingest', '--db', join(dir, 'p.db'), '--json', log]);
  expect(ing.status, ing.stderr).toBe(0);
  const totals = JSON.parse(ing.stdout);
  expect(totals.unparsed).toBe(0);
  const sum = postino(['summary', '--db', join(dir, 'p.db'), '--from', '2025-12-30', '--to', '2026-01-01', '--json']);
  expect(sum.status, sum.stderr).toBe(0);
  summary = JSON.parse(sum.stdout);
});

describe('generated logs: summary equals the generator truth', () => {
  it('covers the three days across New Year, in order', () => {
    expect(summary.days.map((d) => d.date)).toEqual(['2025-12-30', '2025-12-31', '2026-01-01']);
    expect(truth.days.map((d) => d.date)).toEqual(['2025-12-30', '2025-12-31', '2026-01-01']);
  });

  for (const name of figureNames) {
    it(`${name}: equal on every day`, () => {
      const got = summary.days.map((d) => [d.date, d[name]]);
      const want = truth.days.map((d) => [d.date, d[name]]);
      expect(got).toEqual(want);
    });
  }

  it('every field is an integer and the summary has exactly the METRICS fields', () => {
    for (const d of summary.days) {
      expect(Object.keys(d).sort()).toEqual(['date', ...figureNames].sort());
      for (const n of figureNames) expect(Number.isInteger(d[n])).toBe(true);
    }
  });

  it('the outage deferred mbox1 recipients and delivered them later: one message, delivered at its first sent line', () => {
    const text = readFileSync(log, 'utf8');
    expect(text).toMatch(/connect to mbox1\.unipi\.it\[10\.1\.0\.11\]:24: Connection refused/);
    const db = new Database(join(dir, 'p.db'), { readonly: true });
    try {
      // Families with a recipient deferred by the refused connection and later sent to mbox1,
      // and another recipient sent at once to mbox2.
      const rows = db
        .prepare(
          `SELECT r.id, r.delivered_at,
                  (SELECT min(d.at) FROM deliveries d JOIN messages m ON m.id = d.message_row
                    WHERE m.root_id = r.id AND d.status = 'sent' AND d.hop = 'mailbox') AS first_sent,
                  (SELECT count(*) FROM deliveries d JOIN messages m ON m.id = d.message_row
                    WHERE m.root_id = r.id AND d.status = 'deferred' AND d.reply LIKE '%mbox1%Connection refused%') AS deferred,
                  (SELECT count(*) FROM deliveries d JOIN messages m ON m.id = d.message_row
                    WHERE m.root_id = r.id AND d.status = 'sent' AND d.relay LIKE 'mbox1%') AS sent_mbox1,
                  (SELECT count(*) FROM deliveries d JOIN messages m ON m.id = d.message_row
                    WHERE m.root_id = r.id AND d.status = 'sent' AND d.relay LIKE 'mbox2%') AS sent_mbox2
             FROM messages r WHERE r.origin = 'inbound'`,
        )
        .all() as Array<{ id: number; delivered_at: number; first_sent: number; deferred: number; sent_mbox1: number; sent_mbox2: number }>;
      const split = rows.filter((r) => r.deferred > 0 && r.sent_mbox1 > 0 && r.sent_mbox2 > 0);
      expect(split.length).toBeGreaterThanOrEqual(1);
      for (const r of split) expect(r.delivered_at).toBe(r.first_sent);
    } finally {
      db.close();
    }
  });

  it('re-ingesting the same file changes nothing', () => {
    const again = postino(['ingest', '--db', join(dir, 'p.db'), '--json', log]);
    expect(JSON.parse(again.stdout)).toMatchObject({ lines: 0 });
    const sum = postino(['summary', '--db', join(dir, 'p.db'), '--from', '2025-12-30', '--to', '2026-01-01', '--json']);
    expect(JSON.parse(sum.stdout)).toEqual(summary);
  });
});
