// Runs in a worker thread: applies committed batches to SQLite, in order, one transaction
// each (rows + correlator state + checkpoint), so parsing and writing use both cores.
import { parentPort, workerData } from 'node:worker_threads';
import { openDb } from '../../server/db/open';
import { SqliteStore } from './sqlite-store';
import type { WriterMessage } from './store-writer';

const { dbPath } = workerData as { dbPath: string };
const db = openDb(dbPath);
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
