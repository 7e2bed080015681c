// `postino follow [PATH_OR_GLOB...]`: live collection that survives rotation, restarts and
// crashes. Files (and, with --journal, the systemd journal) are read from their checkpoint;
// SIGTERM/SIGINT finish the current batch, commit and exit 0.
import type { Command } from 'commander';
import { Pipeline } from '../../collectors/pipeline';
import { Follower } from '../../collectors/follow/follower';
import { JournalReader } from '../../collectors/journal/journal-reader';
import { purgeDetailRows } from '../retention';
import { resolveConfig, openConfiguredDb, parsePositive, UsageError, type CommonOptions } from './context';
import type { Config } from '../../core/config/schema';
import type { Db } from '../../core/db/open';

interface FollowOptions extends CommonOptions {
  journal?: boolean;
  pollMs?: string;
  year?: string;
  retention?: boolean;
  quiet?: boolean;
}

/** POSTINO_BATCH_LINES: lines per committed batch (default 20,000); tests lower it. */
export function batchLinesFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const v = env.POSTINO_BATCH_LINES;
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`POSTINO_BATCH_LINES: expected a whole number > 0, got "${v}"`);
  return n;
}

/** POSTINO_SLICE_BYTES: bytes per follower read (default 4 MiB); tests lower it for more commits. */
export function sliceBytesFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const v = env.POSTINO_SLICE_BYTES;
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`POSTINO_SLICE_BYTES: expected a whole number > 0, got "${v}"`);
  return n;
}

export interface Collector {
  followers: Follower[];
  journal: JournalReader | null;
  /** catches up, then follows; resolves once caught up */
  start(): Promise<void>;
  /** may be called during start(): the catch-up stops after its current batch */
  stop(): Promise<void>;
}

/**
 * Builds the collectors for `patterns` (default: the config's sources) and the journal when
 * asked; `postino serve` uses the same function for the sources in its config.
 */
export function createCollector(
  db: Db,
  config: Config,
  opts: { patterns?: string[]; journal?: boolean; pollMs?: number; year?: number; onBatch?: () => void; log?: (m: string) => void; pipeline?: Pipeline },
): Collector {
  const pipeline = opts.pipeline ?? new Pipeline(db, config, batchLinesFromEnv());
  const followers: Follower[] = [];
  const slice = sliceBytesFromEnv();
  const common = { ...(slice !== undefined ? { sliceBytes: slice } : {}), ...(opts.pollMs !== undefined ? { pollMs: opts.pollMs } : {}), ...(opts.onBatch ? { onBatch: opts.onBatch } : {}), ...(opts.log ? { log: opts.log } : {}) };
  if (opts.patterns && opts.patterns.length) {
    followers.push(new Follower(pipeline, opts.patterns, { ...common, ...(opts.year !== undefined ? { year: opts.year } : {}) }));
  } else {
    // One follower per distinct year setting (usually one for all): files of one follower are
    // read one after the other, oldest first.
    const byYear = new Map<number | undefined, string[]>();
    for (const s of config.sources) {
      const year = opts.year ?? s.year;
      byYear.set(year, [...(byYear.get(year) ?? []), s.path]);
    }
    for (const [year, patterns] of byYear) followers.push(new Follower(pipeline, patterns, { ...common, ...(year !== undefined ? { year } : {}) }));
  }
  const journal = opts.journal ? new JournalReader(pipeline, { ...(opts.onBatch ? { onBatch: opts.onBatch } : {}), ...(opts.log ? { log: opts.log } : {}) }) : null;
  let stopping = false;
  let stopP: Promise<void> | null = null;
  return {
    followers,
    journal,
    async start() {
      // One pipeline, one correlator: each commit is synchronous, so batches never interleave.
      for (const f of followers) if (!stopping) await f.start();
      if (!stopping) await journal?.start();
    },
    stop() {
      stopping = true;
      stopP ??= (async () => {
        await journal?.stop();
        for (const f of followers) await f.stop();
      })();
      return stopP;
    },
  };
}

export function registerFollow(program: Command): void {
  program
    .command('follow')
    .description('follow log files (and the journal) live; survives rotation, restarts and crashes')
    .argument('[paths...]', 'files or globs (`/var/log/mail.log*`); default: the sources in the config')
    .option('--config <file>', 'configuration file (postino.yml)')
    .option('--db <path>', 'SQLite database path')
    .option('--tz <zone>', 'time zone of the log stamps and of days')
    .option('--journal', 'also read the systemd journal (journalctl -o json -f), checkpointed by its cursor')
    .option('--poll-ms <ms>', 'poll interval', '250')
    .option('--year <year>', 'year of the first line, for stamps without a year (default: from the file modification time)')
    .option('--no-retention', 'do not purge old detail rows (config.retention) hourly')
    .option('--quiet', 'no progress messages on stderr')
    .action(async (paths: string[], opts: FollowOptions) => {
      const config = resolveConfig(opts);
      const journal = opts.journal === true || config.journal;
      if (paths.length === 0 && config.sources.length === 0 && !journal) throw new UsageError('nothing to follow: give paths, sources in the config, or --journal');
      const pollMs = parsePositive(opts.pollMs ?? '250', '--poll-ms', { integer: true });
      let year: number | undefined;
      if (opts.year !== undefined) {
        year = Number(opts.year);
        if (!Number.isInteger(year) || year < 1970 || year > 2200) throw new UsageError(`--year: expected a year such as 2026, got "${opts.year}"`);
      }
      const log = opts.quiet ? undefined : (m: string) => process.stderr.write(`postino follow: ${m}\n`);
      const db = openConfiguredDb(config);
      let stopRequested: (() => void) | null = null;
      const stopped = new Promise<void>((resolve) => (stopRequested = resolve));
      const onSignal = (sig: string) => {
        log?.(`${sig}: finishing the current batch`);
        stopRequested?.();
      };
      process.once('SIGTERM', () => onSignal('SIGTERM'));
      process.once('SIGINT', () => onSignal('SIGINT'));
      let retentionTimer: NodeJS.Timeout | null = null;
      try {
        const purge = () => {
          try {
            const n = purgeDetailRows(db, config, Math.floor(Date.now() / 1000));
            const total = Object.values(n).reduce((a, b) => a + b, 0);
            if (total) log?.(`retention: purged ${JSON.stringify(n)}`);
          } catch (e) {
            log?.(`retention failed: ${(e as Error).message}`);
          }
        };
        if (opts.retention !== false) {
          purge();
          retentionTimer = setInterval(purge, 3600_000);
        }
        const collector = createCollector(db, config, {
          ...(paths.length ? { patterns: paths } : {}),
          journal,
          pollMs,
          ...(year !== undefined ? { year } : {}),
          ...(log ? { log } : {}),
        });
        // A signal during the catch-up stops it after the current batch.
        void stopped.then(() => collector.stop());
        await collector.start();
        log?.('caught up; following (SIGTERM or Ctrl-C to stop)');
        await stopped;
        await collector.stop();
        log?.('stopped cleanly');
      } finally {
        if (retentionTimer) clearInterval(retentionTimer);
        db.close();
      }
    });
}
