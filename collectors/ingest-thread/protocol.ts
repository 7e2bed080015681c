// Messages between the reading thread (collectors/pipeline.ts) and the ingest thread
// (thread-main.ts) of a bulk ingest.
import type { Output, RejectGroup } from '../correlate/records';
import type { PostscreenState } from '../correlate/postscreen-tracker';
import type { CheckpointUpdate } from '../store/sqlite-store';
import type { PackedLines } from '../source/packed-lines';

import type { YearSpec } from '../parse/year';

export type { YearSpec };

export type ThreadMessage =
  /** the parse context of the batches that follow (one per file or stream) */
  | { type: 'begin'; tz: string; year: YearSpec }
  | {
      type: 'batch';
      seq: number;
      /** the lines the reading thread did not take, in order (their buffers are transferred) */
      lines: PackedLines;
      /** the lane's output for the same lines: tallies, touched hours, lines recognised */
      lane: Output;
      /** the reading thread's reject rows (NOQUEUE lines), grouped by groupRejects */
      laneRejects: RejectGroup[];
      /** the lane's open connections and hosts after this batch, and its log clock */
      postscreen: PostscreenState & { now: number };
      checkpoint: CheckpointUpdate | null;
    }
  /** commit the open group now */
  | { type: 'flush' }
  | { type: 'close' };

/** What the ingest thread made of a batch's lines (the reading thread adds the lane's). */
export interface BatchCounts {
  recognised: number;
  unparsed: number;
  unparsedByProgram: Array<[string, number]>;
  other: number;
  otherByProgram: Array<[string, number]>;
}

/** applied: in the open transaction (the reader may go on); committed: durable up to seq. */
export type ThreadReply =
  | { type: 'applied'; seq: number; counts: BatchCounts }
  | { type: 'committed'; seq: number }
  | { type: 'error'; seq: number; message: string }
  /** cpuSeconds: this thread's CPU time (Linux; null elsewhere), for the benchmark */
  | { type: 'closed'; cpuSeconds: number | null };
