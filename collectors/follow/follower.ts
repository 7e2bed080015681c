// A polling file follower that survives rotation, restarts and crashes.
//
// Each poll: expand the patterns and open each file, until two listings in a row agree (a
// rotation in the middle of the listing would otherwise misorder the files), then read every
// file that grew since its checkpoint through its descriptor (`/proc/self/fd/N`: a rename
// during the poll cannot swap it), older rotated files first. The pipeline knows a
// file by its content fingerprint (first 1024 bytes) with device+inode preferred, and commits
// the rows with the checkpoint in one transaction, so:
// - rename+create: the old inode is found again under its new name (`mail.log.1`, via the glob)
//   or, when only `mail.log` is followed, through the descriptor we keep open on it
//   (`/proc/self/fd/N`): it is drained to its end before the new file is read from 0;
// - copytruncate: the copy has the old fingerprint and resumes at the checkpoint; the
//   truncated file has new content, so it is a new source read from 0 (a file that shrank
//   under the same identity also restarts at 0 in the pipeline);
// - restart: rotated files (`mail.log.2.gz`, `mail.log.1`) resume at their checkpoint, fully
//   read files add nothing;
// - a last line without its newline is not consumed: it is read again, whole, next poll.
// No `tail` package: see the README ("Live collection") for why.
import { closeSync, existsSync, fstatSync, openSync, statSync, type Stats } from 'node:fs';
import { fileFacts } from '../source/line-reader';
import type { Pipeline } from '../pipeline';
import { expandPatterns, olderFirst, rotationAge } from './files';

export interface FollowerOptions {
  /** poll interval in ms (default 250) */
  pollMs?: number;
  /** called after each poll that committed something, once the rollups are flushed */
  onBatch?: () => void;
  /** year of the first line for stamps without a year (default: from each file's mtime) */
  year?: number;
  /** at most one rollup flush per this many ms (default 1000) */
  flushMs?: number;
  /** bytes read per ingest call, so that stop() is prompt during a large catch-up (default 4 MiB) */
  sliceBytes?: number;
  /** a rotated-away live file stays open this long after its last growth (default 5000 ms) */
  orphanGraceMs?: number;
  /** diagnostics (default: none) */
  log?: (message: string) => void;
}

interface Entry {
  /** path under which the source is recorded */
  path: string;
  /** path to open: the path, or /proc/self/fd/N for a held descriptor */
  via: string;
  st: Stats;
  mtimeMs: number;
}

interface Held {
  fd: number;
  path: string;
  dev: number;
  ino: number;
  /** when the path stopped pointing to this inode */
  orphanSince: number | null;
  lastSize: number;
}

const PROC_FD = existsSync('/proc/self/fd');

function key(st: { dev: number; ino: number }): string {
  return `${st.dev}:${st.ino}`;
}

/** A file opened for one poll. */
interface Pinned {
  path: string;
  /** -1 once the descriptor was handed over to the held set */
  fd: number;
  st: Stats;
}

/** Where to read an opened file: through its descriptor, so a rename cannot swap it. */
function viaFd(fd: number, path: string): string {
  return PROC_FD ? `/proc/self/fd/${fd}` : path;
}

/**
 * Whether the patterns name exactly the files of `view` now; paths that could not be opened
 * (other than for being gone) are left out of the comparison.
 */
function sameView(view: Pinned[], patterns: string[], unreadable: Map<string, string>): boolean {
  const byPath = new Map(view.map((p) => [p.path, p.st]));
  let files = 0;
  for (const path of expandPatterns(patterns)) {
    if (unreadable.has(path)) continue;
    let st: Stats;
    try {
      st = statSync(path);
    } catch {
      if (byPath.has(path)) return false;
      continue;
    }
    if (!st.isFile()) continue;
    const was = byPath.get(path);
    if (!was || was.dev !== st.dev || was.ino !== st.ino) return false;
    files++;
  }
  return files === view.length;
}

export class Follower {
  private readonly pollMs: number;
  private readonly flushMs: number;
  private readonly sliceBytes: number;
  private readonly orphanGraceMs: number;
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<void> | null = null;
  private stopping = false;
  private stopP: Promise<void> | null = null;
  private started = false;
  /** (dev, ino) → size and mtime after the last complete read: unchanged files are skipped */
  private readonly seen = new Map<string, { size: number; mtimeMs: number }>();
  /** descriptors kept on live (un-rotated) plain files, by dev:ino */
  private readonly held = new Map<string, Held>();
  private dirty = false;
  private lastFlush = 0;
  /** polls done, lines committed: for status and tests */
  polls = 0;
  lines = 0;

  constructor(
    private readonly pipeline: Pipeline,
    private readonly patterns: string[],
    private readonly opts: FollowerOptions = {},
  ) {
    this.pollMs = opts.pollMs ?? 250;
    this.flushMs = opts.flushMs ?? 1000;
    this.sliceBytes = opts.sliceBytes ?? 4 << 20;
    this.orphanGraceMs = opts.orphanGraceMs ?? 5000;
  }

  /** Catches up (rotated files first), then polls until stop(). */
  async start(): Promise<void> {
    if (this.started) throw new Error('follower already started');
    this.started = true;
    await this.tick();
  }

  /** Stops polling, finishes the current batch (it is committed), flushes the rollups. */
  stop(): Promise<void> {
    this.stopP ??= this.doStop();
    return this.stopP;
  }

  private async doStop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.current;
    await this.passes;
    this.flush(true);
    for (const h of this.held.values()) closeSync(h.fd);
    this.held.clear();
  }

  private async tick(): Promise<void> {
    if (this.stopping) return;
    this.current = this.pollOnce().catch((e: unknown) => this.opts.log?.(`poll failed: ${(e as Error).message}`));
    await this.current;
    this.current = null;
    if (!this.stopping) this.timer = setTimeout(() => void this.tick(), this.pollMs);
  }

  private flush(force = false): void {
    if (!this.dirty) return;
    const now = Date.now();
    if (!force && now - this.lastFlush < this.flushMs) return;
    this.pipeline.flushRollups();
    this.dirty = false;
    this.lastFlush = now;
    this.opts.onBatch?.();
  }

  /**
   * One pass over the files; resolves when everything seen at its start is committed. A call
   * while a pass runs (the timer's, or another caller's) waits for it: two passes at once could
   * both read a file from the same checkpoint.
   */
  pollOnce(): Promise<void> {
    const run = this.passes.then(() => this.pass());
    this.passes = run.catch(() => undefined);
    return run;
  }

  /** The last pass queued (settled: its errors are the caller's). */
  private passes: Promise<void> = Promise.resolve();

  private async pass(): Promise<void> {
    this.polls++;
    const view = this.pinnedView();
    if (!view) {
      this.opts.log?.('the files kept being renamed while they were listed: trying again next poll');
      return;
    }
    const now = Date.now();
    try {
      const inView = new Set(view.map((p) => key(p.st)));
      // Live files we hold that no pattern names any more: rotated away (or deleted). They are
      // older than every file in view, so they are drained first.
      const orphans: Entry[] = [];
      for (const [k, h] of this.held) {
        if (inView.has(k)) continue;
        const st = fstatSync(h.fd);
        if (h.orphanSince === null || st.size !== h.lastSize) h.orphanSince = now;
        h.lastSize = st.size;
        orphans.push({ path: h.path, via: viaFd(h.fd, h.path), st, mtimeMs: st.mtimeMs });
      }
      const entries = view.map((p): Entry => ({ path: p.path, via: viaFd(p.fd, p.path), st: p.st, mtimeMs: p.st.mtimeMs }));
      const ordered = [...orphans.sort(olderFirst), ...entries.sort(olderFirst)];
      const done = new Set<string>();
      for (const e of ordered) {
        if (this.stopping) break;
        const k = key(e.st);
        if (done.has(k)) continue;
        done.add(k);
        try {
          await this.readEntry(e);
        } catch (err) {
          this.opts.log?.(`${e.path}: ${(err as Error).message}`);
        }
      }
      this.updateHeld(view, now);
    } finally {
      for (const p of view) if (p.fd >= 0) closeSync(p.fd);
    }
    this.flush();
  }

  /**
   * The files the patterns name, each opened, so that a rename after this point cannot make us
   * read another file than the one we ordered. The listing is taken again until two in a row
   * agree: a name only ever moves on to a newer file (mail.log.1 gets what mail.log was), so
   * two equal listings mean that at the moment between them every name held what we opened,
   * and "older first" by name is the true order. Null when the names kept changing.
   */
  private pinnedView(): Pinned[] | null {
    for (let attempt = 0; attempt < 10; attempt++) {
      const view: Pinned[] = [];
      // A file we may not read (permissions) is named in the log each poll, as before it was
      // pinned, and left out: the other files are still followed.
      const unreadable = new Map<string, string>();
      for (const path of expandPatterns(this.patterns)) {
        let fd: number;
        try {
          fd = openSync(path, 'r');
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') unreadable.set(path, (e as Error).message);
          continue;
        }
        const st = fstatSync(fd);
        if (st.isFile()) view.push({ path, fd, st });
        else closeSync(fd);
      }
      if (sameView(view, this.patterns, unreadable)) {
        for (const [path, message] of unreadable) this.opts.log?.(`${path}: cannot read: ${message}`);
        return view;
      }
      for (const p of view) closeSync(p.fd);
    }
    return null;
  }

  /**
   * Keeps a descriptor on each live (un-rotated) file, so that when only `mail.log` is
   * followed the old inode can still be drained after a rename. A held file in view under a
   * rotated name is read from there, and closes; a rotated-away one closes once it is
   * drained and the writer has clearly moved on.
   */
  private updateHeld(view: Pinned[], now: number): void {
    const inView = new Map(view.map((p) => [key(p.st), p]));
    for (const [k, h] of this.held) {
      const p = inView.get(k);
      const rotatedInView = p !== undefined && rotationAge(p.path) !== 0;
      const drainedOrphan = p === undefined && h.orphanSince !== null && now - h.orphanSince >= this.orphanGraceMs && this.seen.get(k)?.size === h.lastSize;
      if (rotatedInView || drainedOrphan) {
        closeSync(h.fd);
        this.held.delete(k);
      }
    }
    if (!PROC_FD) return;
    for (const p of view) {
      const k = key(p.st);
      if (rotationAge(p.path) !== 0 || this.held.has(k)) continue;
      // The pinned descriptor becomes the held one: it is not closed with the view.
      this.held.set(k, { fd: p.fd, path: p.path, dev: p.st.dev, ino: p.st.ino, orphanSince: null, lastSize: p.st.size });
      p.fd = -1;
    }
  }

  private async readEntry(e: Entry): Promise<void> {
    const k = key(e.st);
    const prev = this.seen.get(k);
    if (prev && prev.size === e.st.size && prev.mtimeMs === e.mtimeMs) return;
    const p = this.pipeline;
    const yearOpt = this.opts.year !== undefined ? { year: this.opts.year } : {};
    let facts = await fileFacts(e.via);
    if (facts.size === 0) {
      this.seen.set(k, { size: 0, mtimeMs: e.mtimeMs });
      return;
    }
    if (facts.compressed) {
      const r = await p.ingestFile(e.via, { displayPath: e.path, ...yearOpt });
      this.note(r.lines);
      this.seen.set(k, { size: facts.size, mtimeMs: facts.mtime.getTime() });
      return;
    }
    let src = p.findSource(facts);
    const sameInode = (s: typeof src): boolean => !!s && s.dev === facts.dev && s.ino === facts.ino;
    if (src && !sameInode(src) && !src.compressed && facts.size < src.offset_bytes) {
      // Same first bytes, another inode, shorter than what we read: a copy (copytruncate,
      // or a backup) still being written. Wait for it to reach our checkpoint.
      return;
    }
    const size = facts.size;
    const mtimeMs = facts.mtime.getTime();
    for (;;) {
      if (this.stopping) return;
      let off = src?.offset_bytes ?? 0;
      if (sameInode(src) && size < off) off = 0; // truncated: the pipeline starts again at 0
      if (off >= size) break;
      const end = Math.min(size, off + this.sliceBytes);
      const r = await p.ingestFile(e.via, { end, displayPath: e.path, ...yearOpt });
      this.note(r.lines);
      facts = await fileFacts(e.via);
      src = p.findSource(facts);
      const now = src?.offset_bytes ?? 0;
      if (now <= off || (sameInode(src) && now < off)) {
        if (end >= size) break; // only a partial last line is left
        // A line longer than the slice: read to the end once.
        const r2 = await p.ingestFile(e.via, { end: size, displayPath: e.path, ...yearOpt });
        this.note(r2.lines);
        break;
      }
    }
    if (!this.stopping) this.seen.set(k, { size, mtimeMs });
  }

  private note(lines: number): void {
    if (lines > 0) {
      this.lines += lines;
      this.dirty = true;
    }
  }
}
