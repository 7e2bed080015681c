// Operational pieces: `postino status`, `postino backup`, retention of detail rows.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { tmpDir, generatedLines, oneShot, postinoOut, testConfig, YEAR } from '../helpers/follow-env';
import { openDb, type Db } from '../../core/db/open';
import { purgeDetailRows } from '../../server/retention';
import { parseConfig } from '../../core/config/load';

let env: ReturnType<typeof tmpDir>;
let db: Db;
let dbPath: string;

const TABLES = ['connections', 'messages', 'deliveries', 'rejects', 'verdicts', 'logins', 'message_lines', 'sources', 'rollup_day'];
const counts = (d: Db) => Object.fromEntries(TABLES.map((t) => [t, (d.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]));

beforeAll(async () => {
  env = tmpDir('ops');
  const lines = await generatedLines(0.01, env.dir);
  db = await oneShot(lines, env.dir, 'ops');
  dbPath = join(env.dir, 'ops.db');
});
afterAll(() => {
  db.close();
  env.cleanup();
});

describe('postino status', () => {
  it('lists sources with checkpoint, lag and unparsed counts', async () => {
    const r = await postinoOut(['status', '--db', dbPath, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const st = JSON.parse(r.stdout) as { sources: Array<Record<string, unknown>>; unparsed: unknown[]; open_records: Record<string, number> | null };
    expect(st.sources).toHaveLength(1);
    const s = st.sources[0]!;
    expect(s.kind).toBe('file');
    expect(s.offset_bytes).toBe(s.size_bytes);
    expect(s.lines).toBeGreaterThan(40_000);
    expect(typeof s.lag_seconds).toBe('number');
    expect(Array.isArray(st.unparsed)).toBe(true);
    expect(st.open_records).not.toBeNull();
    const text = await postinoOut(['status', '--db', dbPath]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/sources:\n {2}\[1\] file .*ops\.log: [\d,]+\/[\d,]+ bytes/);
    expect(text.stdout).toContain('open records:');
  });
});

describe('postino backup', () => {
  it('writes a copy that opens with the same row counts', async () => {
    const to = join(env.dir, 'backup.db');
    const r = await postinoOut(['backup', '--db', dbPath, '--to', to]);
    expect(r.code, r.stderr).toBe(0);
    const copy = openDb(to, { readonly: true });
    try {
      expect(counts(copy)).toEqual(counts(db));
      expect((copy.pragma('integrity_check') as Array<{ integrity_check: string }>)[0]!.integrity_check).toBe('ok');
    } finally {
      copy.close();
    }
  });
});

describe('purgeDetailRows', () => {
  it('removes old detail rows by config.retention and keeps the rollups', () => {
    const dayStart = Date.parse(`${YEAR}-03-02T00:00:00+01:00`) / 1000;
    const before = counts(db);
    const rollups = db.prepare(`SELECT * FROM rollup_day ORDER BY date`).all();
    // 20 days later: connections (14 days) go, messages and logins (90 days) stay.
    // (retention measures back from the newest line read: lines 20 days newer were read)
    linesReadUpTo(db, dayStart + 20 * 86400);
    let n = purgeDetailRows(db, testConfig(dbPath), dayStart + 20 * 86400);
    expect(n.connections).toBe(before.connections);
    // The postscreen tallies follow the connections' retention.
    expect(n.connection_tally).toBeGreaterThan(0);
    expect((db.prepare('SELECT count(*) AS c FROM connection_tally').get() as { c: number }).c).toBe(0);
    expect(n.messages).toBe(0);
    expect(counts(db).messages).toBe(before.messages);
    // 100 days later: everything but the rollups.
    linesReadUpTo(db, dayStart + 100 * 86400);
    n = purgeDetailRows(db, testConfig(dbPath), dayStart + 100 * 86400);
    const after = counts(db);
    expect(n.messages).toBe(before.messages);
    for (const t of ['connections', 'messages', 'deliveries', 'rejects', 'verdicts', 'logins', 'message_lines']) expect(after[t], t).toBe(0);
    expect(db.prepare(`SELECT * FROM rollup_day ORDER BY date`).all()).toEqual(rollups);
    expect((db.pragma('foreign_key_check') as unknown[]).length).toBe(0);
  });

  it('honours configured days', () => {
    const cfg = parseConfig({ retention: { connections_days: 1, messages_days: 2, logins_days: 3 } });
    linesReadUpTo(db, 0);
    expect(purgeDetailRows(db, cfg, 0)).toMatchObject({ connections: 0, messages: 0, logins: 0 });
  });
});

/** Lines read up to `t` plus the correlation window (72 h): retention measures back from there. */
function linesReadUpTo(db: import('better-sqlite3').Database, t: number): void {
  if (db.prepare(`SELECT count(*) FROM sources`).pluck().get() === 0) db.prepare(`INSERT INTO sources (kind, path, updated_at) VALUES ('file', 'test', 0)`).run();
  db.prepare(`UPDATE sources SET last_line_at = ?`).run(t + 72 * 3600);
}
