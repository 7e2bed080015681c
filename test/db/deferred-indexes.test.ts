// The rules of a bulk load's deferred indexes: when deferring pays, that a dropped index is
// always saved and built again, and that a running ingest's indexes are left to it.
import { describe, it, expect } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { openDb, type Db } from '../../core/db/open';
import { deferIndexes, restoreIndexes, restoreOrphanedIndexes, withDeferredIndexes, worthDeferring } from '../../core/db/deferred-indexes';

function freshDb(): { db: Db; path: string } {
  const path = join(mkdtempSync(join(tmpdir(), 'postino-defer-')), 'd.db');
  return { db: openDb(path), path };
}

function indexSql(db: Db): string[] {
  return (db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`).all() as Array<{ sql: string }>).map((r) => r.sql);
}

/** A pid that is surely gone: a child that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

function addRejects(db: Db, n: number): void {
  const ins = db.prepare(`INSERT INTO rejects (at, host, service, action, stage, reason_class, reply, greylist) VALUES (?, 'mx1', 'smtpd', 'reject', 'RCPT', 'dnsbl', 'no', 0)`);
  db.transaction(() => {
    for (let i = 0; i < n; i++) ins.run(1_700_000_000 + i);
  })();
}

describe('deferred indexes', () => {
  it('pay only when the input brings more rows than the database holds', () => {
    const { db } = freshDb();
    expect(worthDeferring(db, 1_000_000)).toBe(true);
    addRejects(db, 5000);
    // 800 bytes of log make about one row: 1 MB is ~1,250 rows, 8 MB ~10,000
    expect(worthDeferring(db, 1_000_000)).toBe(false);
    expect(worthDeferring(db, 8_000_000)).toBe(true);
    db.close();
  });

  it('drop only non-unique indexes of detail tables, save them, and build exactly them again', () => {
    const { db } = freshDb();
    const before = indexSql(db);
    const n = deferIndexes(db);
    expect(n).toBeGreaterThan(20);
    const during = indexSql(db);
    expect(during.length).toBe(before.length - n);
    // the unique index that deduplicates logins, and the other tables' indexes, stay
    expect(during.some((s) => s.includes('logins_session'))).toBe(true);
    expect(during.some((s) => s.includes('sources_identity'))).toBe(true);
    expect(restoreIndexes(db)).toBe(n);
    expect(indexSql(db)).toEqual(before);
    expect(db.prepare(`SELECT count(*) AS n FROM deferred_indexes`).get()).toEqual({ n: 0 });
    db.close();
  });

  it('are left to a running ingest, and built again at open once their owner is gone', () => {
    const { db, path } = freshDb();
    const before = indexSql(db);
    deferIndexes(db); // owner: this process, alive
    db.close();
    const again = openDb(path);
    expect(restoreOrphanedIndexes(again)).toBe(0);
    expect(indexSql(again).length).toBeLessThan(before.length);
    again.prepare(`UPDATE deferred_indexes SET owner_pid = ?`).run(deadPid());
    again.close();
    const reopened = openDb(path); // the owner died: openDb builds them
    expect(indexSql(reopened)).toEqual(before);
    reopened.close();
  });

  it('are built again when the load fails', async () => {
    const { db } = freshDb();
    const before = indexSql(db);
    await expect(
      withDeferredIndexes(db, 1_000_000, async () => {
        expect(indexSql(db).length).toBeLessThan(before.length);
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(indexSql(db)).toEqual(before);
    // unknown input size (stdin): nothing is deferred
    await withDeferredIndexes(db, null, async () => expect(indexSql(db)).toEqual(before));
    db.close();
  });
});
