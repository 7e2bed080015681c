// Runs in a worker thread: applies batches to SQLite, in order, each with its rows, correlator
// state and checkpoint, so parsing and writing use both cores.
// store-writer.ts runs this file bundled (plain JS, no TypeScript loader in the thread: that
// loader is a thread and a heap of its own), so it imports only what it needs. The main
// thread has opened and migrated the database; this connection takes the same settings
// as openDb (server/db/open.ts), plus two for bulk writing.
import { parentPort, workerData } from 'node:worker_threads';
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { SqliteStore } from './sqlite-store';
import type { WriterMessage } from './store-writer';

const { dbPath, sqliteModule } = workerData as { dbPath: string; sqliteModule: string };
const Database = createRequire(sqliteModule)(sqliteModule) as typeof BetterSqlite3;
const db = new Database(dbPath, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
// Index pages of the big tables stay cached between batches (16 MB instead of 2 MB); the WAL
// is copied back into the database every 16000 pages (64 MB) instead of 1000, so a hot page
// is copied once per checkpoint, however many transactions changed it; and the WAL file is cut
// back to 64 MB after a checkpoint, so a day's ingest does not leave a big one behind.
db.pragma('cache_size = -16000');
db.pragma('wal_autocheckpoint = 16000');
db.pragma('journal_size_limit = 67108864');
const store = new SqliteStore(db);

/**
 * Batches are applied as they come, several to a transaction: each batch still writes its own
 * checkpoint, and COMMIT makes a group durable at once. A transaction changes each page of the
 * random-key indexes (rejects by sender, recipient, client) once, however many batches it holds,
 * so ten batches to a transaction write far fewer pages. A crash loses the open group, which is
 * read again from the last committed checkpoint. Commit when: GROUP_BATCHES are in, the group is
 * older than GROUP_MS, or the main thread asks (flush: it wants to read, or it is closing).
 */
const GROUP_BATCHES = 10;
const GROUP_MS = 1000;
let open = 0;
let openedAt = 0;
let lastSeq = 0;

function commitGroup(): void {
  if (open > 0) {
    db.exec('COMMIT');
    open = 0;
  }
  parentPort!.postMessage({ type: 'committed', seq: lastSeq });
}

function fail(seq: number, e: unknown): void {
  if (db.inTransaction) db.exec('ROLLBACK');
  open = 0;
  parentPort!.postMessage({ type: 'error', seq, message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
}

parentPort!.on('message', (msg: WriterMessage) => {
  if (msg.type === 'close') {
    try {
      commitGroup();
    } catch (e) {
      fail(lastSeq, e);
    }
    db.close();
    parentPort!.postMessage({ type: 'closed' });
    return;
  }
  if (msg.type === 'flush') {
    try {
      commitGroup();
    } catch (e) {
      fail(lastSeq, e);
    }
    return;
  }
  try {
    if (open === 0) {
      db.exec('BEGIN IMMEDIATE');
      openedAt = Date.now();
    }
    open++;
    store.apply(msg.out, msg.state, msg.checkpoint);
    lastSeq = msg.seq;
    parentPort!.postMessage({ type: 'applied', seq: msg.seq });
    if (open >= GROUP_BATCHES || Date.now() - openedAt >= GROUP_MS) commitGroup();
  } catch (e) {
    fail(msg.seq, e);
  }
});
