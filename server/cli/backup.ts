// `postino backup --to FILE`: a consistent copy of the live database with SQLite's online
// backup API (the collector may keep writing meanwhile).
import type { Command } from 'commander';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { resolveConfig, UsageError, type CommonOptions } from './context';
import { openDb, type Db } from '../../core/db/open';
import { createPrivateFile, privatizeDbFiles } from '../../core/db/private-files';

interface BackupOptions extends CommonOptions {
  to: string;
}

/** Copies `db` to `file` (written beside it under a temporary name, mode 0600, then renamed). */
export async function backupDatabase(db: Db, file: string): Promise<{ totalPages: number }> {
  const tmp = `${file}.partial-${process.pid}`;
  rmSync(tmp, { force: true });
  try {
    createPrivateFile(tmp);
    const r = await db.backup(tmp);
    privatizeDbFiles(tmp);
    renameSync(tmp, file);
    return { totalPages: r.totalPages };
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description("copy the database with SQLite's online backup (safe while collecting)")
    .requiredOption('--to <file>', 'backup file to write (replaced if it exists)')
    .option('--config <file>', 'configuration file (postino.yml)')
    .option('--db <path>', 'SQLite database path')
    .action(async (opts: BackupOptions) => {
      const config = resolveConfig(opts);
      if (!existsSync(config.database)) throw new UsageError(`${config.database}: no such database`);
      const db = openDb(config.database, { readonly: true });
      try {
        const r = await backupDatabase(db, opts.to);
        process.stderr.write(`backup of ${config.database} written to ${opts.to} (${r.totalPages} pages)\n`);
      } finally {
        db.close();
      }
    });
}
