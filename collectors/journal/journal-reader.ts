// Reads the systemd journal by spawning `journalctl -o json -f`, for hosts that log to the
// journal instead of a file. The checkpoint is the `__CURSOR` of the last committed entry,
// kept in `sources.cursor` (kind 'journal') in the same transaction as the rows, so a
// restart resumes with `--after-cursor` and reads nothing twice.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Pipeline } from '../pipeline';
import type { SourceRow } from '../store/sqlite-store';
import { yearFromMtime } from '../parse/year';
import type { ParseContext } from '../parse/index';

export interface JournalReaderOptions {
  /** the journalctl executable (default `journalctl`, found on PATH) */
  command?: string;
  /** journal matches; default mail facility only (`SYSLOG_FACILITY=2`); [] for everything */
  matches?: string[];
  /** where to start when there is no cursor yet (journalctl --since; default `today`) */
  since?: string;
  /** extra journalctl arguments (e.g. `--directory=/var/log/journal/remote`) */
  extraArgs?: string[];
  /** source name recorded in `sources.path` (default `journald`) */
  name?: string;
  /** commit at least every this many ms while lines arrive (default 200) */
  batchMs?: number;
  /** commit when this many lines are pending (default 5000) */
  batchLines?: number;
  /** respawn delay after journalctl exits unexpectedly (default 1000 ms) */
  restartMs?: number;
  onBatch?: () => void;
  log?: (message: string) => void;
}

export class JournalReader {
  private child: ChildProcess | null = null;
  private source!: SourceRow;
  private cursor: string | null = null;
  private pending: string[] = [];
  private pendingCursor: string | null = null;
  private rest = '';
  private timer: NodeJS.Timeout | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private stopping = false;
  private stopP: Promise<void> | null = null;
  private exited: Promise<void> = Promise.resolve();
  lines = 0;

  constructor(
    private readonly pipeline: Pipeline,
    private readonly opts: JournalReaderOptions = {},
  ) {}

  get name(): string {
    return this.opts.name ?? 'journald';
  }

  /** The arguments journalctl is started with, from the current checkpoint. */
  args(): string[] {
    const a = ['-o', 'json', '-f', '--no-pager'];
    if (this.cursor) a.push(`--after-cursor=${this.cursor}`);
    else a.push(`--since=${this.opts.since ?? 'today'}`);
    a.push(...(this.opts.extraArgs ?? []));
    a.push(...(this.opts.matches ?? ['SYSLOG_FACILITY=2']));
    return a;
  }

  start(): Promise<void> {
    const store = this.pipeline.store;
    const found = store.sources().find((s) => s.kind === 'journal' && s.path === this.name);
    this.source =
      found ?? store.createSource({ kind: 'journal', path: this.name, dev: null, ino: null, fingerprint: null, fpBytes: 0, compressed: false });
    this.cursor = this.source.cursor;
    this.spawn();
    return Promise.resolve();
  }

  private spawn(): void {
    if (this.stopping) return;
    const child = spawn(this.opts.command ?? 'journalctl', this.args(), { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.rest = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => this.onData(chunk));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => this.opts.log?.(`journalctl: ${chunk.trim()}`));
    this.exited = new Promise<void>((resolve) => {
      let done = false;
      const finish = (why: string): void => {
        if (done) return;
        done = true;
        this.commit();
        if (this.child === child) this.child = null;
        if (!this.stopping) {
          this.opts.log?.(`journalctl ${why}; restarting`);
          this.restartTimer = setTimeout(() => this.spawn(), this.opts.restartMs ?? 1000);
        }
        resolve();
      };
      child.on('error', (e) => finish(`failed: ${e.message}`));
      child.on('close', (code, signal) => finish(`exited (${signal ?? code})`));
    });
  }

  private onData(chunk: string): void {
    const text = this.rest + chunk;
    const parts = text.split('\n');
    this.rest = parts.pop() ?? '';
    for (const line of parts) {
      if (!line.trim()) continue;
      let cursor: string | null = null;
      try {
        const o = JSON.parse(line) as { __CURSOR?: unknown };
        if (typeof o.__CURSOR === 'string') cursor = o.__CURSOR;
      } catch {
        // Not JSON: journalctl's own notices. The parser counts it as unparsed.
      }
      this.pending.push(line);
      if (cursor) this.pendingCursor = cursor;
    }
    if (this.pending.length >= (this.opts.batchLines ?? 5000)) this.commit();
    else if (this.pending.length && !this.timer) this.timer = setTimeout(() => this.commit(), this.opts.batchMs ?? 200);
  }

  /** Commits the pending lines with the cursor of the last one, in one transaction. */
  private commit(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0) return;
    const lines = this.pending;
    const cursor = this.pendingCursor ?? this.cursor;
    this.pending = [];
    const ctx: ParseContext = { tz: this.pipeline.config.timezone, year: yearFromMtime(new Date(), this.pipeline.config.timezone) };
    this.pipeline.ingestLines(lines, ctx, {
      sourceId: this.source.id,
      path: this.name,
      offsetBytes: 0,
      sizeBytes: 0,
      cursor,
      fingerprint: null,
      fpBytes: 0,
      lines: lines.length,
      lastLineAt: null,
    });
    this.cursor = cursor;
    this.lines += lines.length;
    this.pipeline.flushRollups();
    this.opts.onBatch?.();
  }

  /** Stops journalctl, commits what it printed, resolves when done. */
  stop(): Promise<void> {
    this.stopP ??= this.doStop();
    return this.stopP;
  }

  private async doStop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.child?.kill('SIGTERM');
    await this.exited;
    this.commit();
  }
}
