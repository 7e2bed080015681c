// The reading thread's handle on the ingest thread of a bulk ingest (thread-main.ts says what
// each side does). Order and atomicity are unchanged: batches are applied one by one, each with
// its checkpoint, several to a transaction; a crash loses only batches not yet committed, which
// are read again from the last committed checkpoint.
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from '../../core/package-root';
import { threadBundle } from './bundle';
import type { CorrelatorOptions } from '../correlate/correlator';
import type { BatchCounts, ThreadMessage, ThreadReply, YearSpec } from './protocol';

/**
 * How many batches may wait for the ingest thread before the reader pauses (memory stays flat:
 * a batch of 5,000 lines read holds about 1,000 for the thread). 32 let the reader run ahead by
 * day, when the ingest thread has the more work; at night the reader has it.
 */
const MAX_IN_FLIGHT = 32;

let bundle: string | null | undefined;

/**
 * The file of the thread's bundle (bundle.ts; looked up once per process). null when it cannot
 * be built: the thread then loads the TypeScript through tsx (thread.mjs).
 */
function threadFile(): string | null {
  if (bundle === undefined) bundle = threadBundle();
  return bundle;
}

/**
 * The process's node options without module loaders (`node --import tsx` adds one): the bundle
 * needs none, and a loader is a thread and a heap of its own. Other options (a profiler's) stay.
 */
function withoutLoaders(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--import' || a === '--loader' || a === '--experimental-loader' || a === '--require' || a === '-r') i++;
    else if (!/^--(import|loader|experimental-loader|require)=/.test(a)) out.push(a);
  }
  return out;
}

/**
 * The thread from its bundle, without the process's loaders. An explicit execArgv is checked
 * strictly (a per-process option such as --trace-gc is an error there, while an inherited one is
 * ignored): then the thread inherits them all, loaders included, and works as well.
 */
function bundledWorker(file: string, opts: { workerData: unknown; resourceLimits: ResourceLimits }): Worker {
  const argv = withoutLoaders(process.execArgv);
  if (argv.length < process.execArgv.length) {
    try {
      return new Worker(file, { ...opts, execArgv: argv });
    } catch (e) {
      if ((e as { code?: string }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw e;
    }
  }
  return new Worker(file, opts);
}

export type BatchMessage = Omit<Extract<ThreadMessage, { type: 'batch' }>, 'type' | 'seq'>;

export class IngestThread {
  private readonly worker: Worker;
  private seq = 0;
  private applied = 0;
  private committed = 0;
  private failure: Error | null = null;
  private waiters: Array<() => void> = [];
  private closed: Promise<void> | null = null;
  private onClosed: (() => void) | null = null;
  /** the thread's CPU seconds, once closed (Linux) */
  cpuSeconds: number | null = null;
  /** what the thread made of the lines sent since the last takeCounts() */
  private recognised = 0;
  private unparsed = 0;
  private byProgram = new Map<string, number>();
  private other = 0;
  private otherByProgram = new Map<string, number>();

  constructor(dbPath: string, correlatorOptions: CorrelatorOptions) {
    const workerData = { dbPath, sqliteModule: createRequire(join(packageRoot, 'package.json')).resolve('better-sqlite3'), correlatorOptions };
    const file = threadFile();
    // The thread's garbage is each batch as it arrives, dead after its transaction: a 24 MB
    // young generation (the default is 48) holds it, and peak RSS is lower.
    const resourceLimits = { maxYoungGenerationSizeMb: 24 };
    this.worker = file !== null ? bundledWorker(file, { workerData, resourceLimits }) : new Worker(join(packageRoot, 'collectors', 'ingest-thread', 'thread.mjs'), { workerData, resourceLimits });
    this.worker.on('message', (m: ThreadReply) => {
      if (m.type === 'applied') {
        this.applied = m.seq;
        this.recognised += m.counts.recognised;
        this.unparsed += m.counts.unparsed;
        for (const [p, n] of m.counts.unparsedByProgram) this.byProgram.set(p, (this.byProgram.get(p) ?? 0) + n);
        this.other += m.counts.other;
        for (const [p, n] of m.counts.otherByProgram) this.otherByProgram.set(p, (this.otherByProgram.get(p) ?? 0) + n);
      } else if (m.type === 'committed') this.committed = m.seq;
      else if (m.type === 'error') this.failure = new Error(`ingest thread: ${m.message}`);
      else if (m.type === 'closed') {
        this.cpuSeconds = m.cpuSeconds;
        this.onClosed?.();
      }
      this.wake();
    });
    this.worker.on('error', (e) => {
      this.failure = e;
      this.wake();
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private async until(cond: () => boolean): Promise<void> {
    while (!cond()) {
      if (this.failure) throw this.failure;
      await new Promise<void>((r) => this.waiters.push(r));
    }
    if (this.failure) throw this.failure;
  }

  /** Batches sent and not yet applied: the thread is behind when this is more than one. */
  get backlog(): number {
    return this.seq - this.applied;
  }

  /** Sets the time zone and year rule of the lines that follow. */
  begin(tz: string, year: YearSpec): void {
    this.worker.postMessage({ type: 'begin', tz, year } satisfies ThreadMessage);
  }

  /**
   * Queues one batch; waits while too many are in flight. `beforeWaiting` runs when it is going
   * to wait: the caller's idle time, for work of its own.
   */
  async send(batch: BatchMessage, beforeWaiting?: () => void): Promise<void> {
    if (this.failure) throw this.failure;
    const seq = ++this.seq;
    // The lines' buffers move to the thread (the reader made them for this batch alone).
    this.worker.postMessage({ type: 'batch', seq, ...batch } satisfies ThreadMessage, [batch.lines.data.buffer as ArrayBuffer, batch.lines.ends.buffer as ArrayBuffer]);
    if (this.seq - this.applied >= MAX_IN_FLIGHT) beforeWaiting?.();
    await this.until(() => this.seq - this.applied < MAX_IN_FLIGHT);
  }

  /** Resolves when every queued batch is committed. */
  async drain(): Promise<void> {
    if (this.committed === this.seq) return;
    this.worker.postMessage({ type: 'flush' } satisfies ThreadMessage);
    await this.until(() => this.committed === this.seq);
  }

  /** What the thread counted in the lines of the batches applied since the last call. */
  takeCounts(): BatchCounts {
    const c: BatchCounts = {
      recognised: this.recognised,
      unparsed: this.unparsed,
      unparsedByProgram: [...this.byProgram],
      other: this.other,
      otherByProgram: [...this.otherByProgram],
    };
    this.recognised = 0;
    this.unparsed = 0;
    this.byProgram = new Map();
    this.other = 0;
    this.otherByProgram = new Map();
    return c;
  }

  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = (async () => {
        try {
          await this.drain();
          // Let the thread close its connection before it ends (its open group is committed first).
          await new Promise<void>((resolve) => {
            this.onClosed = resolve;
            this.worker.postMessage({ type: 'close' } satisfies ThreadMessage);
          });
        } finally {
          await this.worker.terminate();
        }
      })();
    }
    return this.closed;
  }
}
