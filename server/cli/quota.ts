// `postino quota import [--date D] FILE...|-`: mailbox usage snapshots from
// `doveadm -f tab quota get -A`, one row per mailbox per day (a day imported again is replaced).
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { parseDoveadmQuota, storeSnapshot, QuotaFormatError } from '../../cost/quota-import';
import { localDate } from '../../core/time/local-time';
import { resolveConfig, openConfiguredDb, parseDate, UsageError, type CommonOptions } from './context';

interface QuotaImportOptions extends CommonOptions {
  date?: string;
  json?: boolean;
}

/** The snapshot's day: --date, else a YYYY-MM-DD in the file name, else today in the zone. */
function dayOf(file: string, opts: QuotaImportOptions, tz: string): string {
  if (opts.date !== undefined) return parseDate(opts.date, '--date');
  const m = /(\d{4}-\d{2}-\d{2})/.exec(file.split('/').pop() ?? '');
  if (m) return parseDate(m[1]!, `date in file name ${file}`);
  return localDate(tz, Math.floor(Date.now() / 1000));
}

export function registerQuota(program: Command): void {
  const quota = program.command('quota').description('mailbox usage snapshots (doveadm quota)');
  quota
    .command('import')
    .description('import `doveadm -f tab quota get -A` output: one snapshot a file (- for stdin)')
    .argument('<files...>', 'files (the day from --date or a YYYY-MM-DD in the name, else today); - reads stdin')
    .option('--date <date>', 'the day the snapshot stands for, YYYY-MM-DD (one file only)')
    .option('--config <file>', 'configuration file (postino.yml)')
    .option('--db <path>', 'SQLite database path')
    .option('--tz <zone>', 'time zone of the days')
    .option('--json', 'print what was imported as JSON')
    .action((files: string[], opts: QuotaImportOptions) => {
      if (opts.date !== undefined && files.length > 1) throw new UsageError('--date names one day: give one file with it');
      const config = resolveConfig(opts);
      // read and check every file before writing anything
      const parsed = files.map((f) => {
        let text: string;
        try {
          text = f === '-' ? readFileSync(0, 'utf8') : readFileSync(f, 'utf8');
        } catch (e) {
          throw new UsageError(`${f}: cannot read: ${(e as Error).message}`);
        }
        try {
          return { file: f, date: dayOf(f, opts, config.timezone), rows: parseDoveadmQuota(text) };
        } catch (e) {
          if (e instanceof QuotaFormatError) throw new UsageError(`${f}: ${e.message}`);
          throw e;
        }
      });
      const db = openConfiguredDb(config);
      try {
        const done = parsed.map((p) => ({ file: p.file, ...storeSnapshot(db, p.date, p.rows) }));
        if (opts.json) process.stdout.write(JSON.stringify({ snapshots: done }) + '\n');
        else for (const d of done) process.stdout.write(`${d.file}: ${d.date}, ${d.mailboxes} mailboxes, ${(d.used_bytes / 2 ** 30).toFixed(2)} GB used\n`);
      } finally {
        db.close();
      }
    });
}
