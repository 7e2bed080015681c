// Several rows to a statement must write exactly what one insert per row writes: the same
// rows, in the same order (rowids), whatever the count against the statement's 16 rows.
import { describe, it, expect } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { RowInserter, ROWS_PER_STATEMENT } from '../../collectors/store/row-inserter';

function freshDb(): Database.Database {
  const db = new Database(join(mkdtempSync(join(tmpdir(), 'postino-rows-')), 'r.db'));
  db.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b TEXT, c TEXT, kind TEXT NOT NULL)`);
  db.exec(`CREATE TABLE u (id INTEGER PRIMARY KEY, k TEXT UNIQUE, v INTEGER)`);
  return db;
}

describe('RowInserter', () => {
  it('writes every row in order, for counts around the statement size', () => {
    for (const n of [0, 1, ROWS_PER_STATEMENT - 1, ROWS_PER_STATEMENT, ROWS_PER_STATEMENT + 1, 3 * ROWS_PER_STATEMENT + 5, 250]) {
      const db = freshDb();
      // a literal shared by all rows, as the reject groups have
      const ins = new RowInserter(db, `INSERT INTO t (a, b, c, kind) VALUES`, `(?, ?, ?, 'shared')`, 3);
      const flat: unknown[] = [];
      for (let i = 0; i < n; i++) flat.push(i * 7, `b${i}`, i % 3 === 0 ? null : `it's "${i}"`);
      ins.insert(flat);
      const rows = db.prepare(`SELECT id, a, b, c, kind FROM t ORDER BY id`).all();
      expect(rows).toEqual(Array.from({ length: n }, (_, i) => ({ id: i + 1, a: i * 7, b: `b${i}`, c: i % 3 === 0 ? null : `it's "${i}"`, kind: 'shared' })));
      db.close();
    }
  });

  it('keeps OR IGNORE per row: the first row of a key stands, within a statement and across them', () => {
    const db = freshDb();
    const ins = new RowInserter(db, `INSERT OR IGNORE INTO u (k, v) VALUES`, `(?, ?)`, 2);
    const flat: unknown[] = [];
    for (let i = 0; i < 40; i++) flat.push(`k${i % 10}`, i);
    ins.insert(flat);
    ins.insert(['k3', 99, 'k42', 100]);
    expect(db.prepare(`SELECT k, v FROM u ORDER BY id`).all()).toEqual([...Array.from({ length: 10 }, (_, i) => ({ k: `k${i}`, v: i })), { k: 'k42', v: 100 }]);
    db.close();
  });
});
