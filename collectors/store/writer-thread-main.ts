// Runs in a worker thread: applies committed batches to SQLite, in order, one transaction
// each (rows + correlator state + checkpoint), so parsing and writing use both cores.
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
// Index pages of the big tables stay cached between batches (16 MB instead of 2 MB), and
// the WAL is copied back into the database every 8000 pages instead of 1000: a hot page
// is copied once per checkpoint, however many batches changed it.
db.pragma('cache_size = -16000');
db.pragma('wal_autocheckpoint = 8000');
const store = new SqliteStore(db);

parentPort!.on('message', (msg: WriterMessage) => {
  if (msg.type === 'close') {
    db.close();
    parentPort!.postMessage({ type: 'closed' });
    return;
  }
  try {
    store.commitSerialized(msg.out, msg.state, msg.checkpoint);
    parentPort!.postMessage({ type: 'done', seq: msg.seq });
  } catch (e) {
    parentPort!.postMessage({ type: 'error', seq: msg.seq, message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
