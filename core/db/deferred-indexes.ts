// Bulk load without index upkeep: a large ingest into an empty or small database drops the
// secondary indexes of the detail tables, writes the rows, and builds the indexes again at
// the end. Building an index sorts once; keeping it up to date inserts each row at a random
// place of every index (sender, recipient, client IP), which was most of the write time.
//
// Crash safety: the dropped definitions are saved in `deferred_indexes`, in the same
// transaction as the drop. If the ingest dies, the next process to open the database (once the
// owner is gone) builds them again: no index is ever lost.
import type { Db } from './open';

/** The tables a day of logs fills (their non-unique indexes are deferred). */
const DETAIL_TABLES = ['connections', 'messages', 'deliveries', 'rejects', 'verdicts', 'logins', 'auth_failures', 'service_events', 'message_line_groups'];

/** Input bytes per detail row, about (a seed-scale day: 559 MB of log, 480,000 rows). */
const BYTES_PER_ROW = 1100;

/**
 * Rows already in the detail tables, from rowid bounds (exact unless rows were deleted in the
 * middle; no table scan).
 */
export function detailRows(db: Db): number {
  let n = 0;
  for (const t of DETAIL_TABLES) {
    const r = db.prepare(`SELECT coalesce(max(rowid) - min(rowid) + 1, 0) AS n FROM ${t}`).get() as { n: number };
    n += r.n;
  }
  return n;
}

/**
 * Whether deferring pays: rebuilding sorts the old rows too, so only when the input brings
 * more rows than the database holds.
 */
export function worthDeferring(db: Db, inputBytes: number): boolean {
  return inputBytes / BYTES_PER_ROW > detailRows(db);
}

/**
 * Runs a bulk load with the indexes deferred when that pays (inputBytes null: unknown size, as
 * from stdin: never). `load` must have finished writing when it resolves; the indexes are built
 * again after it, whether it succeeded or failed.
 */
export async function withDeferredIndexes<T>(db: Db, inputBytes: number | null, load: () => Promise<T>): Promise<T> {
  const deferred = inputBytes !== null && worthDeferring(db, inputBytes) && deferIndexes(db) > 0;
  try {
    return await load();
  } finally {
    if (deferred) restoreIndexes(db);
  }
}

/** Drops the non-unique indexes of the detail tables, saving their definitions. Returns how many. */
export function deferIndexes(db: Db, ownerPid = process.pid): number {
  const placeholders = DETAIL_TABLES.map(() => '?').join(', ');
  const indexes = db
    .prepare(
      `SELECT name, sql FROM sqlite_master
        WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${placeholders}) AND sql NOT LIKE 'CREATE UNIQUE%'`,
    )
    .all(...DETAIL_TABLES) as Array<{ name: string; sql: string }>;
  const save = db.prepare(`INSERT OR REPLACE INTO deferred_indexes (name, sql, owner_pid) VALUES (?, ?, ?)`);
  db.transaction(() => {
    for (const ix of indexes) {
      save.run(ix.name, ix.sql, ownerPid);
      db.exec(`DROP INDEX "${ix.name.replaceAll('"', '""')}"`);
    }
  })();
  return indexes.length;
}

/** Builds every deferred index again, in one transaction. Returns how many. */
export function restoreIndexes(db: Db): number {
  const rows = db.prepare(`SELECT name, sql FROM deferred_indexes ORDER BY name`).all() as Array<{ name: string; sql: string }>;
  if (rows.length === 0) return 0;
  const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?`);
  // The sorter may use helper threads for the build (the default is none).
  const threads = db.pragma('threads', { simple: true }) as number;
  db.pragma('threads = 2');
  try {
    db.transaction(() => {
      for (const r of rows) if (!exists.get(r.name)) db.exec(r.sql);
      db.exec(`DELETE FROM deferred_indexes`);
    })();
  } finally {
    db.pragma(`threads = ${threads}`);
  }
  return rows.length;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * At open: indexes left deferred by an ingest that is gone (killed) are built again. Those of a
 * running ingest are left to it. A busy database is left for the next open.
 */
export function restoreOrphanedIndexes(db: Db): number {
  const owners = db.prepare(`SELECT DISTINCT owner_pid AS pid FROM deferred_indexes`).all() as Array<{ pid: number }>;
  if (owners.length === 0 || owners.some((o) => alive(o.pid))) return 0;
  try {
    return restoreIndexes(db);
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_BUSY') return 0;
    throw e;
  }
}
