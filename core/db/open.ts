// Opens the SQLite database with the settings every process uses, and migrates it.
import Database from 'better-sqlite3';
import { dirname } from 'node:path';
import { migrate } from './migrate';
import { restoreOrphanedIndexes } from './deferred-indexes';
import { createPrivateFile, makePrivateDir, privatizeDbFiles } from './private-files';

export type Db = Database.Database;

export function openDb(path: string, options: { readonly?: boolean } = {}): Db {
  const onDisk = path !== ':memory:' && path !== '';
  if (onDisk && !options.readonly) {
    makePrivateDir(dirname(path));
    createPrivateFile(path);
  }
  const db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  db.pragma('busy_timeout = 5000');
  if (!options.readonly) {
    // A new database gets 8 KiB pages (an existing one keeps its size): half the pages, WAL
    // frames and B-tree splits for a day's 480,000 rows (docs/benchmark.md: 16 KiB was no better).
    db.pragma('page_size = 8192');
    db.pragma('journal_mode = WAL');
    if (onDisk) privatizeDbFiles(path);
    // NORMAL is durable across process crashes in WAL mode (only an OS crash can lose the
    // last commits), and it is what makes batch commits cheap.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    restoreOrphanedIndexes(db);
  }
  return db;
}
