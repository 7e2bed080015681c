// Runs in the ingest thread of a bulk ingest. The reading thread keeps the postscreen lane
// (most lines of an MX's day) and sends everything else here: this thread parses and
// correlates those lines, adds the lane's tallies, and writes rows, open state and checkpoint
// to SQLite. So the two cores split the work: reading + postscreen there, the rest + SQL here.
// ingest-thread.ts runs this file bundled (plain JS, no TypeScript loader in the thread: that
// loader is a thread and a heap of its own). The main thread has opened and migrated the
// database; this connection takes the same settings as openDb (core/db/open.ts), plus three
// for bulk writing.
import { parentPort, workerData } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import { SqliteStore } from '../store/sqlite-store';
import { GeoTally } from '../store/geo-tally';
import { Correlator, type CorrelatorOptions } from '../correlate/correlator';
import { withoutPostscreen } from '../correlate/correlator-state';
import { countCountries } from '../enrich/geoip';
import { correlateLines, emptyLineCounts } from '../correlate/correlate-lines';
import { unpackLines } from '../source/packed-lines';
import { yearResolver } from '../parse/year';
import type { ParseContext } from '../parse/index';
import type { Output } from '../correlate/records';
import type { BatchCounts, ThreadMessage, ThreadReply } from './protocol';

const { dbPath, sqliteModule, correlatorOptions } = workerData as { dbPath: string; sqliteModule: string; correlatorOptions: CorrelatorOptions };
const Database = createRequire(sqliteModule)(sqliteModule) as typeof BetterSqlite3;
const db = new Database(dbPath, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
// Index pages of the big tables stay cached between batches (16 MB instead of 2 MB). The WAL is
// copied back into the database by the reading thread while it waits for this one (passive
// checkpoints, pipeline.ts); this thread does it only past 64000 pages (256 MB), a backstop
// for when the reader never waits. The WAL file is cut back to 64 MB after a checkpoint, so a
// day's ingest does not leave a big one behind.
// A bulk load with its indexes deferred (core/db/deferred-indexes.ts) appends to tables: a
// small cache holds the pages it writes. Otherwise every index is kept up to date, at random
// places: then index pages stay cached between batches (16 MB instead of the default 2 MB).
const indexesDeferred = (db.prepare(`SELECT count(*) FROM deferred_indexes`).pluck().get() as number) > 0;
db.pragma(`cache_size = ${indexesDeferred ? -8000 : -16000}`);
db.pragma('wal_autocheckpoint = 64000');
db.pragma('journal_size_limit = 67108864');
const store = new SqliteStore(db);
// The reading thread keeps the open postscreen connections; this one everything else. (A state
// of another version: the reading thread has said so already.)
const correlator = new Correlator(correlatorOptions, withoutPostscreen(store.loadCorrelatorState(() => {})), store.nextMessageId(), store.nextConnectionId());
// postscreen lines the lane leaves (IPv6 clients, rare shapes) are counted here: by country too
if (correlatorOptions.geoip) countCountries(correlator, correlatorOptions.geoip);
/** set by each `begin` (a file or stream), before its batches */
let ctx: ParseContext | null = null;

/** This thread's user + system CPU seconds, from /proc (Linux; null elsewhere). */
function threadCpuSeconds(): number | null {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in USER_HZ ticks
  } catch {
    return null;
  }
}

function post(r: ThreadReply): void {
  parentPort!.postMessage(r);
}

/**
 * Per-minute connection tallies of the open transaction's batches, written when it commits: a
 * minute's counts then take one upsert per transaction instead of one per batch that touched it
 * (docs/benchmark.md). Same transaction, so a crash loses them with the batches' checkpoints,
 * and they are counted again when those are read again.
 */
const openTally = new Map<string, number>();
/** the same for the country tallies */
const openGeo = new GeoTally();

/** Moves a batch's tallies (its own and the lane's) into openTally; adds the rest of the lane's output. */
function addLane(out: Output, lane: Output): void {
  for (const tally of [out.tally, lane.tally]) {
    for (const [k, n] of tally) openTally.set(k, (openTally.get(k) ?? 0) + n);
    tally.clear();
  }
  for (const geo of [out.geo, lane.geo]) {
    openGeo.add(geo);
    geo.counts = [];
  }
  for (const h of lane.touchedHours) out.touchedHours.add(h);
  out.recognised += lane.recognised;
}

/**
 * Batches are applied as they come, several to a transaction: each batch still writes its own
 * checkpoint, and COMMIT makes a group durable at once. A transaction changes each page of the
 * random-key indexes (rejects by sender, recipient, client) once, however many batches it holds,
 * so forty batches (200,000 lines read) to a transaction write far fewer pages. A crash loses
 * the open group, which is read again from the last committed checkpoint. Commit when:
 * GROUP_BATCHES are in, the group is older than GROUP_MS, or the main thread asks (flush: it
 * wants to read, or it is closing).
 */
const GROUP_BATCHES = 40;
const GROUP_MS = 1000;
let open = 0;
let openedAt = 0;
let lastSeq = 0;

function commitGroup(): void {
  if (open > 0) {
    store.addTallies(openTally);
    openTally.clear();
    store.addGeo(openGeo);
    openGeo.clear();
    db.exec('COMMIT');
    open = 0;
  }
  post({ type: 'committed', seq: lastSeq });
}

function fail(seq: number, e: unknown): void {
  if (db.inTransaction) db.exec('ROLLBACK');
  openTally.clear();
  openGeo.clear();
  open = 0;
  post({ type: 'error', seq, message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
}

function applyBatch(msg: Extract<ThreadMessage, { type: 'batch' }>): BatchCounts {
  if (ctx === null) throw new Error('a batch before its begin message');
  correlator.learnPostscreenHosts(msg.postscreen.postscreenHosts);
  const c = emptyLineCounts();
  correlateLines(correlator, unpackLines(msg.lines), ctx, false, c);
  const counts: BatchCounts = {
    recognised: c.recognised,
    unparsed: c.unparsed,
    unparsedByProgram: [...c.unparsedByProgram],
    other: c.other,
    otherByProgram: [...c.otherByProgram],
  };
  const lastAt = c.lastAt;
  const out = correlator.drain();
  addLane(out, msg.lane);
  const mine = correlator.snapshot();
  const state = JSON.stringify({
    ...mine,
    postscreenHosts: msg.postscreen.postscreenHosts,
    connections: msg.postscreen.connections,
    now: Math.max(mine.now, msg.postscreen.now),
  });
  const cp = msg.checkpoint;
  if (cp && lastAt !== null && (cp.lastLineAt === null || lastAt > cp.lastLineAt)) cp.lastLineAt = lastAt;
  if (open === 0) {
    db.exec('BEGIN IMMEDIATE');
    openedAt = Date.now();
  }
  open++;
  store.apply(out, state, cp);
  store.insertRejectGroups(msg.laneRejects);
  return counts;
}

parentPort!.on('message', (msg: ThreadMessage) => {
  switch (msg.type) {
    case 'begin':
      ctx = { tz: msg.tz, year: yearResolver(msg.year, msg.tz) };
      return;
    case 'flush':
    case 'close':
      try {
        commitGroup();
      } catch (e) {
        fail(lastSeq, e);
      }
      if (msg.type === 'close') {
        db.close();
        post({ type: 'closed', cpuSeconds: threadCpuSeconds() });
      }
      return;
    case 'batch':
      try {
        const counts = applyBatch(msg);
        lastSeq = msg.seq;
        post({ type: 'applied', seq: msg.seq, counts });
        if (open >= GROUP_BATCHES || Date.now() - openedAt >= GROUP_MS) commitGroup();
      } catch (e) {
        fail(msg.seq, e);
      }
      return;
  }
});
