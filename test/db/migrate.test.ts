import { describe, it, expect } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, listMigrations } from '../../core/db/migrate';
import { openDb } from '../../core/db/open';

describe('migrations', () => {
  it('migrate an empty database to the last version, and a second run is a no-op', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'postino-mig-')), 'm.db');
    const db = new Database(file);
    const all = listMigrations();
    expect(all.length).toBeGreaterThan(0);
    expect(migrate(db)).toBe(all.length);
    const version = db.pragma('user_version', { simple: true });
    expect(version).toBe(all.at(-1)!.version);
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

  it('gives a new database 8 KiB pages, and leaves the page size of an existing one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'postino-mig-'));
    const fresh = openDb(join(dir, 'new.db'));
    expect(fresh.pragma('page_size', { simple: true })).toBe(8192);
    fresh.close();
    const oldFile = join(dir, 'old.db');
    const old = new Database(oldFile);
    old.pragma('page_size = 4096');
    old.exec('CREATE TABLE kept (x)');
    old.prepare('INSERT INTO kept VALUES (?)').run(42);
    old.close();
    const reopened = openDb(oldFile);
    expect(reopened.pragma('page_size', { simple: true })).toBe(4096);
    expect(reopened.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(reopened.prepare('SELECT x FROM kept').get()).toEqual({ x: 42 });
    reopened.close();
  });

  it('migration files are named NNNN_verb_noun.sql with increasing versions', () => {
    const versions = listMigrations().map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
  });

  it('0004 moves trace lines stored one per row into one group per message, readable through the view', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'postino-mig-')), 'g.db');
    const db = new Database(file);
    for (const m of listMigrations().filter((x) => x.version < 4)) db.exec(m.sql);
    db.pragma('user_version = 3');
    db.exec(`INSERT INTO messages (id, host, qid, first_at, origin) VALUES (1, 'mx1', 'AAA', 100, 'inbound'), (2, 'mx1', 'BBB', 100, 'inbound')`);
    const ins = db.prepare(`INSERT INTO message_lines (message_row, at, host, program, text) VALUES (?, ?, ?, ?, ?)`);
    ins.run(1, 101.5, 'mx1', 'postfix/qmgr', 'AAA: removed');
    ins.run(2, 100, 'mx1', 'postfix/smtpd', 'BBB: client=x[192.0.2.1] <b>"quoted"</b>');
    ins.run(1, 100.25, 'mx1', 'postfix/smtpd', 'AAA: client=y[192.0.2.2]');
    expect(migrate(db)).toBe(listMigrations().length - 3);
    expect(db.prepare(`SELECT count(*) FROM message_line_groups`).pluck().get()).toBe(2);
    const lines = db.prepare(`SELECT message_row, at, host, program, text FROM message_lines ORDER BY message_row, at, group_id, pos`).all();
    expect(lines).toEqual([
      { message_row: 1, at: 100.25, host: 'mx1', program: 'postfix/smtpd', text: 'AAA: client=y[192.0.2.2]' },
      { message_row: 1, at: 101.5, host: 'mx1', program: 'postfix/qmgr', text: 'AAA: removed' },
      { message_row: 2, at: 100, host: 'mx1', program: 'postfix/smtpd', text: 'BBB: client=x[192.0.2.1] <b>"quoted"</b>' },
    ]);
    db.close();
  });

  it('0005 replaces the NOCASE address indexes by lower() ones, and forgets their deferred definitions', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'postino-mig-')), 'l.db');
    const db = new Database(file);
    for (const m of listMigrations().filter((x) => x.version < 5)) db.exec(m.sql);
    db.pragma('user_version = 4');
    // as an ingest killed with its indexes deferred leaves it
    db.exec(`DROP INDEX rejects_sender_nocase`);
    db.prepare(`INSERT INTO deferred_indexes (name, sql, owner_pid) VALUES (?, ?, ?)`).run('rejects_sender_nocase', 'CREATE INDEX rejects_sender_nocase ON rejects(sender COLLATE NOCASE)', 999_999);
    expect(migrate(db)).toBe(listMigrations().length - 4);
    const names = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index'`).pluck().all() as string[];
    expect(names.filter((n) => n.endsWith('_nocase') || n === 'logins_username')).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(['messages_sender_lower', 'deliveries_recipient_lower', 'rejects_sender_lower', 'rejects_recipient_lower', 'logins_username_lower']));
    expect(db.prepare(`SELECT count(*) FROM deferred_indexes`).pluck().get()).toBe(0);
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM rejects WHERE lower(sender) = lower(?)`).all('A@B.example') as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join()).toContain('rejects_sender_lower');
    db.close();
  });
});
