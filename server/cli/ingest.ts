// `postino ingest FILE...`: one-shot ingest of plain, .gz or stdin input.
import type { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { statSync } from 'node:fs';
import { Pipeline, IngestError } from '../../collectors/pipeline';
import { resolveConfig, openConfiguredDb, UsageError, type CommonOptions } from './context';
import { withDeferredIndexes } from '../../core/db/deferred-indexes';

interface IngestOptions extends CommonOptions {
  year?: string;
  json?: boolean;
  progress?: boolean;
}

const PROGRESS_MIN_BYTES = 20 << 20;
/** A gzip log is about this many times smaller than its text. */
const GZIP_RATIO = 8;

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('parse log files (plain, .gz, or - for stdin) into the database; re-running adds nothing')
    .argument('<files...>', 'log files, or - for standard input')
    .option('--config <file>', 'configuration file (postino.yml)')
    .option('--db <path>', 'SQLite database path')
    .option('--tz <zone>', 'time zone of the log stamps and of days')
    .option('--year <year>', 'year of the first line, for stamps without a year (default: from the file modification time)')
    .option('--json', 'print one JSON object with the totals at the end')
    .option('--no-progress', 'no progress bar')
    .action(async (files: string[], opts: IngestOptions) => {
      const config = resolveConfig(opts);
      let year: number | undefined;
      if (opts.year !== undefined) {
        year = Number(opts.year);
        if (!Number.isInteger(year) || year < 1970 || year > 2200) throw new UsageError(`--year: expected a year such as 2026, got "${opts.year}"`);
      }
      // Check every file before writing anything: a missing file aborts the whole run.
      for (const f of files) {
        if (f === '-') continue;
        try {
          if (statSync(f).isDirectory()) throw new IngestError(`${f}: is a directory`);
        } catch (e) {
          if (e instanceof IngestError) throw e;
          throw new IngestError(`${f}: no such file or not readable`);
        }
      }
      const db = openConfiguredDb(config);
      try {
        // A large input into an empty or small database: build the search indexes at the end.
        const inputBytes = files.includes('-') ? null : files.reduce((n, f) => n + statSync(f).size * (f.endsWith('.gz') ? GZIP_RATIO : 1), 0);
        const pipeline = await withDeferredIndexes(db, inputBytes, async () => {
          const p = new Pipeline(db, config, { ingestThread: true });
          try {
            await ingestAll(p, files, year, opts.progress !== false);
          } finally {
            await p.close();
          }
          return p;
        });
        pipeline.flushRollups();
        // The pipeline adds up every file it read.
        const totals = pipeline.totals;
        if (opts.json) {
          process.stdout.write(JSON.stringify(totals) + '\n');
        } else {
          process.stdout.write(
            `${totals.files} file(s), ${totals.lines} new line(s): ${totals.recognised} recognised, ${totals.unparsed} unparsed, ${totals.other} of other programs\n` +
              byProgram('unparsed', totals.unparsed_by_program) +
              byProgram('other', totals.other_by_program),
          );
        }
      } finally {
        db.close();
      }
    });
}

/** `  unparsed postfix/smtpd: 3` lines, most first. */
function byProgram(label: string, counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([p, n]) => `  ${label} ${p}: ${n}\n`)
    .join('');
}

/** Reads each file (or stdin) in order, with a progress bar for long files on a terminal. */
async function ingestAll(pipeline: Pipeline, files: string[], year: number | undefined, progress: boolean): Promise<void> {
  for (const f of files) {
    let bar: SingleBar | null = null;
    const showBar = progress && process.stderr.isTTY && f !== '-' && statSync(f).size > PROGRESS_MIN_BYTES;
    if (f === '-') await pipeline.ingestStream(process.stdin, year !== undefined ? { year } : {});
    else
      await pipeline.ingestFile(f, {
        ...(year !== undefined ? { year } : {}),
        onProgress: (off, total) => {
          if (!showBar || total === 0) return;
          if (!bar) {
            bar = new SingleBar({ format: `${f} [{bar}] {percentage}% {value}/{total} MB`, stream: process.stderr }, Presets.shades_classic);
            bar.start(Math.ceil(total / 1e6), 0);
          }
          bar.update(Math.floor(off / 1e6));
        },
      });
    (bar as SingleBar | null)?.stop();
  }
}
