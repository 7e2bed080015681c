import { describe, it, expect } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, listMigrations } from '../../server/db/migrate';
import { openDb } from '../../server/db/open';

describe('migrations', () => {
  it('migrate an empty database to the last version, and a second run is a no-op', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'postino-mig-')), 'm.db');
    const db = new Database(file);
    const all = listMigrations();
    expect(all.length).toBeGreaterThan(0);
    expect(migrate(db)).toBe(all.length);
    const version = db.pragma('user_version', { simple: true });
    expect(version).toBe(all[all.length - 1].version);
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as Array<{ name: string }>).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['connections', 'messages', 'deliveries', 'rejects', 'verdicts', 'logins', 'sources', 'rollup_day']));
    expect(migrate(db)).toBe(0);
    expect(db.pragma('user_version', { simple: true })).toBe(version);
    db.close();
  });

  it('opens in WAL mode with foreign keys on', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'postino-mig-')), 'w.db');
    const db = openDb(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('migration files are named NNNN_verb_noun.sql with increasing versions', () => {
    const versions = listMigrations().map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
  });
});
