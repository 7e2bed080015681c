// Wires the stages: source (lines + offsets) → parse (pure) → correlate (pure) → store
// (one transaction per batch: rows + open state + checkpoint). The only file that knows all four.
import type { Readable } from 'node:stream';
import type { Db } from '../core/db/open';
import type { Config } from '../core/config/schema';
import { Correlator, type CorrelatorOptions } from './correlate/correlator';
import { postscreenPart } from './correlate/correlator-state';
import { correlateLines, emptyLineCounts } from './correlate/correlate-lines';
import { SqliteStore, type SourceRow } from './store/sqlite-store';
import { fileFacts, linesFromFile, linesFromStream, sha1, FINGERPRINT_BYTES, type FileFacts, type LineBatch, type LineTaker } from './source/line-reader';
import { LineRouting, mayBeNoqueue, mayBePostscreenVerdict } from './line-routing';
import { parseLine } from './parse/parse-line';
import { yearResolver, type YearSpec } from './parse/year';
import type { ParseContext } from './parse/index';
import { flushRollups } from '../core/rollup/rollup';
import { countCountries, openGeoIp } from './enrich/geoip';
import { flushGeoDays } from './enrich/geo-rollup';
import { IngestThread } from './ingest-thread/ingest-thread';
import { groupRejects } from './correlate/records';
import type { CheckpointUpdate } from './store/sqlite-store';

export interface IngestTotals {
  files: number;
  lines: number;
  recognised: number;
  unparsed: number;
  unparsed_by_program: Record<string, number>;
  /** lines of programs postino does not read (cron, sshd, kernel ...), apart from unparsed */
  other: number;
  other_by_program: Record<string, number>;
}

export function emptyTotals(): IngestTotals {
  return { files: 0, lines: 0, recognised: 0, unparsed: 0, unparsed_by_program: {}, other: 0, other_by_program: {} };
}

export interface FileIngestOptions {
  /** year of the first line for stamps without a year (default: from the file's mtime) */
  year?: number;
  /** called after each committed batch with content bytes consumed so far */
  onProgress?: (offset: number, total: number) => void;
  /** stop reading at this size (plain files): the follower passes the size it saw */
  end?: number;
  /** path under which the source is recorded (default: path) */
  displayPath?: string;
}

export class IngestError extends Error {
  override name = 'IngestError';
}

export function correlatorOptions(config: Config): CorrelatorOptions {
  const hosts = Object.entries(config.hosts);
  return {
    spamTagLevel: config.spam.inbound_tag,
    mailboxHosts: hosts.filter(([, h]) => h.roles.includes('mailbox')).map(([n]) => n),
    postscreenHosts: [],
    openRecordTtlSeconds: config.correlation.open_record_ttl_hours * 3600,
    geoip: config.geoip,
  };
}

export class Pipeline {
  readonly store: SqliteStore;
  readonly correlator: Correlator;
  readonly totals: IngestTotals = emptyTotals();
  /** called after every commit (the live feed listens) */
  onCommit: (() => void) | null = null;

  /**
   * Bulk ingest (the `ingest` command): a second thread parses and correlates what the
   * postscreen lane leaves, and writes to SQLite; this thread reads and runs the lane.
   */
  private readonly thread: IngestThread | null;
  private readonly batchLines: number;

  constructor(
    readonly db: Db,
    readonly config: Config,
    opts: number | { batchLines?: number; ingestThread?: boolean } = {},
  ) {
    const options = typeof opts === 'number' ? { batchLines: opts } : opts;
    this.thread = options.ingestThread && db.name !== ':memory:' ? new IngestThread(db.name, correlatorOptions(config)) : null;
    // The ingest thread takes smaller batches: what a batch holds is alive until it is written,
    // and the thread's young-generation collections copied it (several MB each time) when a
    // batch was 20,000 lines.
    this.batchLines = options.batchLines ?? Number(process.env.POSTINO_BATCH_LINES ?? (this.thread ? 5_000 : 20_000));
    this.store = new SqliteStore(db);
    // With an ingest thread, this correlator sees only postscreen lines: it keeps only that state.
    const state = this.store.loadCorrelatorState();
    this.correlator = new Correlator(correlatorOptions(config), this.thread ? postscreenPart(state) : state, this.store.nextMessageId(), this.store.nextConnectionId());
    // opened now, so that a missing or foreign database stops the ingest before its first line
    openGeoIp(config.geoip);
    countCountries(this.correlator, config.geoip);
  }

  /** Finds the recorded source with the same content fingerprint (same inode preferred). */
  findSource(facts: FileFacts): SourceRow | undefined {
    const candidates = this.store.sources().filter((s) => {
      if (s.kind !== 'file' || !s.fingerprint || s.fp_bytes === 0 || facts.head.length < s.fp_bytes) return false;
      return sha1(facts.head.subarray(0, s.fp_bytes)) === s.fingerprint;
    });
    return candidates.find((s) => s.dev === facts.dev && s.ino === facts.ino) ?? candidates.sort((a, b) => b.offset_bytes - a.offset_bytes)[0];
  }

  /**
   * Reads one batch and commits it: here, or (bulk ingest) through the ingest thread. The
   * checkpoint's line count and last line time are filled in here.
   */
  private async readBatch(batch: LineBatch, ctx: ParseContext, counts: IngestTotals, cp: CheckpointUpdate | null): Promise<void> {
    if (this.thread) {
      // The lane has already taken its lines, as they were read (laneTaker).
      const lastAt = this.laneTaken.lastAt;
      counts.recognised += this.laneTaken.recognised;
      counts.lines += batch.read;
      this.laneTaken = { recognised: 0, lastAt: null };
      // with a LineTaker (laneTaker, always set with a thread) the reader packs what it keeps
      if (batch.packed === null) throw new Error('a bulk batch without packed lines');
      const lane = this.correlator.drain();
      const laneRejects = groupRejects(lane.rejects);
      lane.rejects = [];
      await this.thread.send(
        {
          lines: batch.packed,
          lane,
          laneRejects,
          postscreen: this.correlator.postscreenSnapshot(),
          checkpoint: cp ? { ...cp, lines: batch.read, lastLineAt: lastAt } : null,
        },
        this.checkpointWal,
      );
    } else {
      const before = counts.lines;
      const lastAt = this.processBatch(batch, ctx, counts);
      this.store.commit(this.correlator.drain(), this.correlator.snapshot(), cp ? { ...cp, lines: counts.lines - before, lastLineAt: lastAt } : null);
    }
    this.onCommit?.();
  }

  /**
   * While it waits for the ingest thread, this thread copies the WAL into the database (a
   * passive checkpoint never holds up the writer), which the ingest thread would otherwise do in
   * its commits (thread-main.ts keeps a large automatic checkpoint as a backstop).
   */
  private readonly checkpointWal = (): void => {
    // at most every 250 ms: a checkpoint ends with a sync of the database file
    const now = Date.now();
    if (now - this.lastWalCheckpoint < 250) return;
    this.lastWalCheckpoint = now;
    this.db.pragma('wal_checkpoint(PASSIVE)');
  };

  private lastWalCheckpoint = 0;

  /** Waits until every batch is in the database (then reads see them). */
  async drain(): Promise<void> {
    await this.thread?.drain();
  }

  /** The ingest thread's CPU seconds once closed (Linux), for the benchmark. */
  get ingestThreadCpuSeconds(): number | null {
    return this.thread?.cpuSeconds ?? null;
  }

  /** Drains and stops the ingest thread, if any. The database handle stays open. */
  async close(): Promise<void> {
    await this.thread?.close();
  }

  private processBatch(batch: LineBatch, ctx: ParseContext, counts: IngestTotals): number | null {
    const c = emptyLineCounts();
    correlateLines(this.correlator, batch.lines, ctx, true, c);
    counts.recognised += c.recognised;
    counts.unparsed += c.unparsed;
    for (const [p, n] of c.unparsedByProgram) counts.unparsed_by_program[p] = (counts.unparsed_by_program[p] ?? 0) + n;
    counts.other += c.other;
    for (const [p, n] of c.otherByProgram) counts.other_by_program[p] = (counts.other_by_program[p] ?? 0) + n;
    counts.lines += batch.lines.length;
    return c.lastAt;
  }

  /** What the lane took of the batch being read: recognised lines and the last line's time. */
  private laneTaken: { recognised: number; lastAt: number | null } = { recognised: 0, lastAt: null };

  /**
   * The reading thread's share of a bulk ingest, line by line as read: the postscreen lane;
   * the postscreen verdicts the lane leaves to the parser (they belong to the lane's open
   * connections); and, while the ingest thread is behind, NOQUEUE rejects. Those touch no open
   * record (a reject row each, about 200,000 a day, most from postscreen), so either thread
   * can read them: the postscreen lane is most of a night's lines and the ingest thread then
   * waits; by day it has more to do than this one. Every other line stays in the batch.
   */
  private laneTaker(ctx: ParseContext): LineTaker | null {
    const thread = this.thread;
    if (!thread) return null;
    const correlator = this.correlator;
    const routing = new LineRouting();
    this.laneTaken = { recognised: 0, lastAt: null };
    const taken = (at: number): true => {
      this.laneTaken.recognised++;
      this.laneTaken.lastAt = at;
      return true;
    };
    return {
      takeAt: (b, start, end) => {
        const at = correlator.pushBytes(b, start, end, ctx);
        return at === at && taken(at);
      },
      // take's first test, on an ASCII line's bytes
      mayTake: (b, start, end) => routing.mayBePostscreenVerdict(b, start, end) || (thread.backlog >= REJECTS_HERE_FROM_BACKLOG && routing.mayBeNoqueue(b, start, end)),
      take: (line) => {
        if (mayBePostscreenVerdict(line) || (thread.backlog >= REJECTS_HERE_FROM_BACKLOG && mayBeNoqueue(line))) {
          const ev = parseLine(line, ctx);
          if (ev.kind.startsWith('postscreen.') || (ev.kind === 'postfix.reject' && ev.qid === null)) {
            correlator.push(ev, line);
            return taken(ev.at);
          }
        }
        return false;
      },
    };
  }

  /** Adds what the ingest thread counted (after drain()). */
  private addThreadCounts(counts: IngestTotals): void {
    if (!this.thread) return;
    const c = this.thread.takeCounts();
    counts.recognised += c.recognised;
    counts.unparsed += c.unparsed;
    for (const [p, n] of c.unparsedByProgram) counts.unparsed_by_program[p] = (counts.unparsed_by_program[p] ?? 0) + n;
    counts.other += c.other;
    for (const [p, n] of c.otherByProgram) counts.other_by_program[p] = (counts.other_by_program[p] ?? 0) + n;
  }

  private addTotals(c: IngestTotals): void {
    this.totals.files += c.files;
    this.totals.lines += c.lines;
    this.totals.recognised += c.recognised;
    this.totals.unparsed += c.unparsed;
    for (const [p, n] of Object.entries(c.unparsed_by_program)) this.totals.unparsed_by_program[p] = (this.totals.unparsed_by_program[p] ?? 0) + n;
    this.totals.other += c.other;
    for (const [p, n] of Object.entries(c.other_by_program)) this.totals.other_by_program[p] = (this.totals.other_by_program[p] ?? 0) + n;
  }

  /**
   * Ingests a file from its checkpoint to its end. Re-running on the same file adds
   * nothing; a killed run resumes from its last committed batch.
   */
  async ingestFile(path: string, opts: FileIngestOptions = {}): Promise<IngestTotals> {
    let facts: FileFacts;
    try {
      facts = await fileFacts(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new IngestError(code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot read: ${(e as Error).message}`);
    }
    const counts = emptyTotals();
    counts.files = 1;
    if (facts.size === 0) {
      this.addTotals(counts);
      return counts;
    }
    const displayPath = opts.displayPath ?? path;
    let source = this.findSource(facts);
    if (!source) {
      source = this.store.createSource({
        kind: 'file',
        path: displayPath,
        dev: facts.dev,
        ino: facts.ino,
        fingerprint: sha1(facts.head),
        fpBytes: facts.head.length,
        compressed: facts.compressed,
      });
    }
    let start = source.offset_bytes;
    // A plain file smaller than what we consumed was truncated (copytruncate): start again.
    if (!facts.compressed && facts.size < start) start = 0;
    const tz = this.config.timezone;
    const year: YearSpec = opts.year !== undefined ? { start: opts.year } : { mtimeMs: facts.mtime.getTime() };
    const ctx: ParseContext = { tz, year: yearResolver(year, tz) };
    this.thread?.begin(tz, year);
    const fp = facts.head.length > source.fp_bytes ? { fingerprint: sha1(facts.head), fpBytes: facts.head.length } : { fingerprint: null, fpBytes: source.fp_bytes };
    for await (const batch of linesFromFile(path, { startOffset: start, compressed: facts.compressed, batchLines: this.batchLines, take: this.laneTaker(ctx), ...(opts.end !== undefined ? { end: opts.end } : {}) })) {
      await this.readBatch(batch, ctx, counts, {
        sourceId: source.id,
        path: displayPath,
        offsetBytes: batch.endOffset,
        sizeBytes: facts.compressed ? batch.endOffset : Math.max(facts.size, batch.endOffset),
        cursor: null,
        fingerprint: fp.fingerprint,
        fpBytes: fp.fpBytes,
        lines: 0,
        lastLineAt: null,
      });
      opts.onProgress?.(batch.endOffset, facts.compressed ? 0 : facts.size);
    }
    // The next file's checkpoint lookup must see this one's last commit.
    await this.drain();
    this.addThreadCounts(counts);
    this.addTotals(counts);
    return counts;
  }

  /** Ingests a stream (stdin) with no checkpoint: it cannot be re-read. */
  async ingestStream(stream: Readable, opts: { year?: number } = {}): Promise<IngestTotals> {
    const counts = emptyTotals();
    counts.files = 1;
    const tz = this.config.timezone;
    const year: YearSpec = opts.year !== undefined ? { start: opts.year } : { mtimeMs: Date.now() };
    const ctx: ParseContext = { tz, year: yearResolver(year, tz) };
    this.thread?.begin(tz, year);
    for await (const batch of linesFromStream(stream, 0, 0, this.batchLines, this.laneTaker(ctx))) await this.readBatch(batch, ctx, counts, null);
    await this.drain();
    this.addThreadCounts(counts);
    this.addTotals(counts);
    return counts;
  }

  /** Lines from a follower or journal with an explicit checkpoint (see collectors/follow). */
  ingestLines(lines: string[], ctx: ParseContext, checkpoint: Parameters<SqliteStore['commit']>[2]): IngestTotals {
    // With an ingest thread, this thread's correlator holds only the postscreen state.
    if (this.thread) throw new Error('ingestLines: not on a pipeline with an ingest thread');
    const counts = emptyTotals();
    const lastAt = this.processBatch({ lines, packed: null, read: lines.length, endOffset: checkpoint?.offsetBytes ?? 0 }, ctx, counts);
    this.store.commit(this.correlator.drain(), this.correlator.snapshot(), checkpoint ? { ...checkpoint, lines: lines.length, lastLineAt: lastAt } : null);
    this.addTotals(counts);
    this.onCommit?.();
    return counts;
  }

  /** Recomputes dirty rollup buckets (call after drain() when an ingest thread is used). */
  flushRollups(): { hours: number; days: number } {
    flushGeoDays(this.db, this.config);
    return flushRollups(this.db, this.config.timezone);
  }
}

/**
 * Batches waiting for the ingest thread (5,000 lines read each) from which this thread reads the
 * NOQUEUE rejects itself: one, since the lane reads four bytes at a time the ingest thread is the
 * slower one by day (docs/benchmark.md has the paired runs against 4).
 */
const REJECTS_HERE_FROM_BACKLOG = 1;

export { FINGERPRINT_BYTES };
