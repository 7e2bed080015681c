// Hands committed batches to a writer thread so that SQLite writes overlap with parsing.
// Order and atomicity are unchanged: the thread applies batches one by one, each in one
// transaction with its checkpoint; a crash loses only batches not yet committed, which are
// re-read from the last checkpoint.
import { Worker } from 'node:worker_threads';
import type { Output } from '../correlate/records';
import type { CheckpointUpdate } from './sqlite-store';

export type WriterMessage =
  | { type: 'commit'; seq: number; out: Output; state: string; checkpoint: CheckpointUpdate | null }
  | { type: 'close' };

type Reply = { type: 'done'; seq: number } | { type: 'error'; seq: number; message: string } | { type: 'closed' };

/** How many batches may wait for the writer before the reader pauses (memory stays flat). */
const MAX_IN_FLIGHT = 3;

export class StoreWriter {
  private readonly worker: Worker;
  private seq = 0;
  private acked = 0;
  private failure: Error | null = null;
  private waiters: Array<() => void> = [];
  private closed: Promise<void> | null = null;
  private onClosed: (() => void) | null = null;

  constructor(dbPath: string) {
    this.worker = new Worker(new URL('./writer-thread.mjs', import.meta.url), { workerData: { dbPath } });
    this.worker.on('message', (m: Reply) => {
      if (m.type === 'done') this.acked = m.seq;
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
    await this.until(() => this.seq - this.acked < MAX_IN_FLIGHT);
  }

  /** Resolves when every queued batch is committed. */
  async drain(): Promise<void> {
    await this.until(() => this.acked === this.seq);
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
