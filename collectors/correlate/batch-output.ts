// The rows of the batch being read, which every part of the correlator appends to: each marks
// the hours its rows touch (for the rollups), and message updates merge into one per message.
import { emptyOutput, type MessageUpdate, type Output } from './records';

export function hourOf(at: number): number {
  return Math.floor(at / 3600) * 3600;
}

export function isLoopback(ip: string | null | undefined): boolean {
  if (!ip) return false;
  return ip.startsWith('127.') || ip === '::1' || ip === '::ffff:127.0.0.1';
}

export class BatchOutput {
  out: Output = emptyOutput();
  /** this batch's update of each message (in out.messageUpdates) */
  private pendingUpdates = new Map<number, MessageUpdate>();

  touch(at: number): void {
    this.out.touchedHours.add(hourOf(at));
  }

  update(id: number, set: MessageUpdate): void {
    // One update per message and batch: applying the later values over the earlier ones is
    // what the store's successive UPDATEs of the same row would do (nothing reads between them).
    const pending = this.pendingUpdates.get(id);
    if (pending) Object.assign(pending, set);
    else {
      // `set` is always a fresh literal of the caller: it becomes the batch's update.
      this.pendingUpdates.set(id, set);
      this.out.messageUpdates.push({ id, set });
    }
    for (const k of ['received_at', 'submitted_at', 'delivered_at'] as const) {
      const v = set[k];
      if (v !== undefined) this.touch(v);
    }
  }

  /** The batch's rows; the next batch starts empty. */
  take(): Output {
    const o = this.out;
    this.out = emptyOutput();
    this.pendingUpdates = new Map();
    return o;
  }
}
