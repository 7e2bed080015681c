// Helpers for the follower tests: real files, real child processes, no fs mocks.
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { openDb, type Db } from '../../core/db/open';
import { parseConfig } from '../../core/config/load';
import type { Config } from '../../core/config/schema';
import { Pipeline } from '../../collectors/pipeline';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'postino.mjs');
export const YEAR = 2026;
export const DAY = '2026-03-02';

export function tmpDir(tag: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `postino-${tag}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function testConfig(db: string): Config {
  return parseConfig({ timezone: 'Europe/Rome', database: db, demo: false });
}

/** A config file for child processes. */
export function writeConfigFile(dir: string): string {
  const f = join(dir, 'postino.yml');
  writeFileSync(f, 'timezone: Europe/Rome\ndemo: false\n');
  return f;
}

/** Generated lines of one day (the mail service's shape), cached per scale. */
const cache = new Map<number, string[]>();
export async function generatedLines(scale: number, dir: string): Promise<string[]> {
  let lines = cache.get(scale);
  if (!lines) {
    const f = join(dir, `gen-${scale}.log`);
    // Through the CLI: the command line is the generator's stable interface.
    const r = await postinoOut(['generate', '--days', '1', '--scale', String(scale), '--start', DAY, '--seed', '7', '--tz', 'Europe/Rome', '--out', f]);
    if (r.code !== 0) throw new Error(`postino generate failed: ${r.stderr}`);
    lines = readFileSync(f, 'utf8').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    rmSync(f);
    cache.set(scale, lines);
  }
  return lines;
}

/** One-shot ingest of `lines` (as one file) into a fresh database. */
export async function oneShot(lines: string[], dir: string, name = 'oneshot'): Promise<Db> {
  const file = join(dir, `${name}.log`);
  writeFileSync(file, lines.join('\n') + '\n');
  const db = openDb(join(dir, `${name}.db`));
  const p = new Pipeline(db, testConfig(join(dir, `${name}.db`)));
  await p.ingestFile(file, { year: YEAR });
  p.flushRollups();
  return db;
}

const TABLES = ['connections', 'messages', 'deliveries', 'rejects', 'verdicts', 'logins', 'auth_failures', 'service_events', 'message_lines'];

/** What must be equal between a followed and a one-shot database. */
export function figuresOf(db: Db): { days: Record<string, unknown>; counts: Record<string, number>; unparsed: number } {
  const days: Record<string, unknown> = {};
  for (const r of db.prepare(`SELECT date, figures FROM rollup_day WHERE tz = 'Europe/Rome' ORDER BY date`).all() as Array<{ date: string; figures: string }>) {
    days[r.date] = JSON.parse(r.figures);
  }
  const counts: Record<string, number> = {};
  for (const t of TABLES) counts[t] = (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
  const unparsed = (db.prepare(`SELECT coalesce(sum(n), 0) AS n FROM unparsed_counts`).get() as { n: number }).n;
  return { days, counts, unparsed };
}

/** Lines committed so far and whether rollups are flushed (read-only peek at a live DB). */
export function progress(dbPath: string): { lines: number; offset: number; dirty: number } {
  let db: Db | null = null;
  try {
    db = openDb(dbPath, { readonly: true });
    const r = db.prepare(`SELECT coalesce(sum(lines), 0) AS lines, coalesce(sum(offset_bytes), 0) AS offset FROM sources`).get() as { lines: number; offset: number };
    const d = db.prepare(`SELECT count(*) AS n FROM dirty_hours`).get() as { n: number };
    return { lines: r.lines, offset: r.offset, dirty: d.n };
  } catch {
    return { lines: 0, offset: 0, dirty: 0 };
  } finally {
    db?.close();
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function waitFor(cond: () => boolean, timeoutMs: number, what: string | (() => string), stepMs = 25): Promise<number> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await sleep(stepMs);
  }
  return Date.now() - t0;
}

export interface Child {
  proc: ChildProcess;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `node bin/postino.mjs ...args` as a real child process. */
export function postino(args: string[], env: Record<string, string> = {}): Child {
  const proc = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr.on('data', (b: Buffer) => (err += b.toString()));
  proc.stdout.resume();
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  return { proc, stderr: () => err, exit };
}

/** Runs a command to completion, returns its stdout. */
export function postinoOut(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (b: Buffer) => (out += b.toString()));
    proc.stderr.on('data', (b: Buffer) => (err += b.toString()));
    proc.on('exit', (code) => resolve({ code, stdout: out, stderr: err }));
  });
}
