// Hands committed batches to a writer thread so that SQLite writes overlap with parsing.
// Order and atomicity are unchanged: the thread applies batches one by one, each with its
// checkpoint, several to a transaction (writer-thread-main.ts says why); a crash loses only
// batches not yet committed, which are re-read from the last committed checkpoint.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import type { Output } from '../correlate/records';
import type { CheckpointUpdate } from './sqlite-store';

export type WriterMessage =
  | { type: 'commit'; seq: number; out: Output; state: string; checkpoint: CheckpointUpdate | null }
  | { type: 'flush' }
  | { type: 'close' };

/** applied: in the open transaction (the reader may go on); committed: durable up to seq. */
type Reply =
  | { type: 'applied'; seq: number }
  | { type: 'committed'; seq: number }
  | { type: 'error'; seq: number; message: string }
  | { type: 'closed' };

/** How many batches may wait for the writer before the reader pauses (memory stays flat). */
const MAX_IN_FLIGHT = 3;

let bundle: string | null | undefined;

/**
 * The thread's code as one CommonJS script (built once per process, a few ms). Run with
 * `eval`, the thread needs no TypeScript loader: that saves the loader's own thread and heap
 * (about 10 MB of peak RSS). null when it cannot be built: the thread then loads the
 * TypeScript through tsx (writer-thread.mjs).
 */
function writerBundle(): string | null {
  if (bundle === undefined) {
    try {
      const r = buildSync({
        entryPoints: [fileURLToPath(new URL('./writer-thread-main.ts', import.meta.url))],
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        external: ['better-sqlite3'],
        write: false,
        logLevel: 'silent',
      });
      bundle = r.outputFiles[0]?.text ?? null;
    } catch {
      bundle = null;
    }
  }
  return bundle;
}

export class StoreWriter {
  private readonly worker: Worker;
  private seq = 0;
  private applied = 0;
  private committed = 0;
  private failure: Error | null = null;
  private waiters: Array<() => void> = [];
  private closed: Promise<void> | null = null;
  private onClosed: (() => void) | null = null;

  constructor(dbPath: string) {
    const workerData = { dbPath, sqliteModule: createRequire(import.meta.url).resolve('better-sqlite3') };
    const code = writerBundle();
    // The thread's garbage is each batch as it arrives, dead after its transaction: a 24 MB
    // young generation (the default is 48) holds it, and peak RSS is lower.
    const resourceLimits = { maxYoungGenerationSizeMb: 24 };
    this.worker =
      code !== null
        ? new Worker(code, { eval: true, workerData, resourceLimits })
        : new Worker(new URL('./writer-thread.mjs', import.meta.url), { workerData, resourceLimits });
    this.worker.on('message', (m: Reply) => {
      if (m.type === 'applied') this.applied = m.seq;
      else if (m.type === 'committed') this.committed = m.seq;
      else if (m.type === 'error') this.failure = new Error(`store writer: ${m.message}`);
      else if (m.type === 'closed') this.onClosed?.();
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

  /** Queues one batch; waits while too many are in flight. */
  async commit(out: Output, state: string, checkpoint: CheckpointUpdate | null): Promise<void> {
    if (this.failure) throw this.failure;
    const seq = ++this.seq;
    this.worker.postMessage({ type: 'commit', seq, out, state, checkpoint } satisfies WriterMessage);
    await this.until(() => this.seq - this.applied < MAX_IN_FLIGHT);
  }

  /** Resolves when every queued batch is committed. */
  async drain(): Promise<void> {
    if (this.committed === this.seq) return;
    this.worker.postMessage({ type: 'flush' } satisfies WriterMessage);
    await this.until(() => this.committed === this.seq);
  }

  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = (async () => {
        try {
          await this.drain();
          // Let the thread close its connection (final WAL checkpoint) before it ends.
          await new Promise<void>((resolve) => {
            this.onClosed = resolve;
            this.worker.postMessage({ type: 'close' } satisfies WriterMessage);
          });
        } finally {
          await this.worker.terminate();
        }
      })();
    }
    return this.closed;
  }
}
