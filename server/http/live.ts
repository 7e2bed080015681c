// The live feed: after each ingest commit, today's figures are recomputed (rollups flushed
// first, at most every 500 ms) and pushed to SSE clients only when they changed. A new client
// gets the full snapshot first. Aggregates only: the wall role may read it.
// Open streams are capped per session (or wall token) and in total (config access.live_*).
// Nothing is queued for a client that does not read: once its socket buffer is full, updates
// are dropped for it, and when it drains it gets a fresh snapshot instead of the backlog.
import type { Request, Response } from 'express';
import type { Db } from '../../core/db/open';
import type { Config } from '../../core/config/schema';
import { flushRollups, hourlyFigures } from '../../core/rollup/rollup';
import { figureNames, spamRate, preQueueBlockRate, type Figures } from '../../core/rollup/figures';
import { localDate } from '../../core/time/local-time';
import { totalFigures } from '../queries/summary';
import { principalOf } from './auth';
import { HttpError } from './errors';

interface Client {
  res: Response;
  key: string;
  /** its last write did not fit the socket buffer: skip until 'drain' */
  behind: boolean;
}

/** What the wall shows; SLA figures are placeholders until the SLA issue lands. */
export interface LiveSnapshot {
  date: string;
  tz: string;
  figures: Figures;
  rates: { spam_rate: number | null; pre_queue_block_rate: number | null };
  hourly: Array<{ hour: number; connections: number; rejected: number; delivered: number; spam_blocked: number; spam_tagged: number; logins: number }>;
  availability: number | null;
  open_incidents: number | null;
  updated_at: number;
}

export interface LiveUpdate {
  date: string;
  figures: Partial<Figures>;
  rates?: LiveSnapshot['rates'];
  hourly?: LiveSnapshot['hourly'];
  updated_at: number;
}

const HEARTBEAT_MS = 15_000;
const MIN_INTERVAL_MS = 500;

export class LiveFeed {
  private last: LiveSnapshot | null = null;
  private readonly clients = new Set<Client>();
  /** updates not sent to a client that was not reading (it got a snapshot after) */
  dropped = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastRun = 0;
  private heartbeat: NodeJS.Timeout | null = null;
  /** counts pushes, for tests and /metrics */
  pushes = 0;

  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly now: () => number = Date.now,
    private readonly flush: () => void = () => void flushRollups(db, config.timezone),
  ) {}

  /**
   * Today's figures, straight from the rollups. After an ingest commit the rollups are flushed
   * first, so they are current; a client's request (a GET) reads without flushing: a read never
   * writes rollup rows.
   */
  compute(flush = true): LiveSnapshot {
    if (flush) this.flush();
    const tz = this.config.timezone;
    const nowS = Math.floor(this.now() / 1000);
    const date = localDate(tz, nowS);
    const hours = hourlyFigures(this.db, tz, date);
    const figures = totalFigures(hours.map((h) => ({ ...h, date })));
    // unique users cannot be summed over hours: read the day rollup for it.
    const day = this.db.prepare(`SELECT figures FROM rollup_day WHERE tz = ? AND date = ?`).get(tz, date) as { figures: string } | undefined;
    if (day) figures.unique_users = (JSON.parse(day.figures) as Figures).unique_users;
    return {
      date,
      tz,
      figures,
      rates: { spam_rate: spamRate(figures), pre_queue_block_rate: preQueueBlockRate(figures) },
      hourly: hours.map((h) => ({
        hour: h.hour,
        connections: h.connections,
        rejected: h.rejected,
        delivered: h.delivered,
        spam_blocked: h.spam_blocked,
        spam_tagged: h.spam_tagged,
        logins: h.imap_logins + h.pop3_logins,
      })),
      availability: null,
      open_incidents: null,
      updated_at: nowS,
    };
  }

  snapshot(): LiveSnapshot {
    if (!this.last) this.last = this.compute(false);
    return this.last;
  }

  /** Called after each ingest commit: recompute at most every 500 ms. */
  notify(): void {
    if (this.timer) return;
    const wait = Math.max(0, MIN_INTERVAL_MS - (this.now() - this.lastRun));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.refresh();
    }, wait);
    this.timer.unref?.();
  }

  /** Recomputes now and pushes what changed (a full snapshot when the day changed). */
  refresh(): LiveUpdate | null {
    this.lastRun = this.now();
    const prev = this.last;
    const next = this.compute();
    this.last = next;
    if (!prev || prev.date !== next.date) {
      if (prev) this.broadcast('snapshot', next);
      return null;
    }
    const changed: Partial<Figures> = {};
    for (const n of figureNames) if (prev.figures[n] !== next.figures[n]) changed[n] = next.figures[n];
    const hourlyChanged = JSON.stringify(prev.hourly) !== JSON.stringify(next.hourly);
    if (Object.keys(changed).length === 0 && !hourlyChanged) return null;
    const update: LiveUpdate = { date: next.date, figures: changed, rates: next.rates, updated_at: next.updated_at, ...(hourlyChanged ? { hourly: next.hourly } : {}) };
    this.broadcast('update', update);
    return update;
  }

  private broadcast(event: string, data: unknown): void {
    this.pushes++;
    const msg = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const c of this.clients) this.send(c, msg);
  }

  /** Writes to a client that keeps up; drops for one that does not (see the header). */
  private send(c: Client, msg: string): void {
    if (c.behind) {
      this.dropped++;
      return;
    }
    if (c.res.write(msg)) return;
    c.behind = true;
    c.res.once('drain', () => {
      if (!this.clients.has(c)) return;
      c.behind = false;
      this.send(c, `event: snapshot\ndata: ${JSON.stringify(this.snapshot())}\n\n`);
    });
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Bytes waiting in each stream's buffers (what a client that does not read costs). */
  bufferedBytes(): number[] {
    return [...this.clients].map((c) => c.res.writableLength + (c.res.socket?.writableLength ?? 0));
  }

  /** The GET /api/live handler. */
  handle = (req: Request, res: Response): void => {
    const key = principalOf(res)?.key ?? 'anonymous';
    const { live_streams_per_session: perSession, live_streams_total: total } = this.config.access;
    if (this.clients.size >= total) {
      res.setHeader('Retry-After', '30');
      throw new HttpError(503, `too many live streams open (${total}): try again later`);
    }
    let mine = 0;
    for (const c of this.clients) if (c.key === key) mine++;
    if (mine >= perSession) throw new HttpError(429, `this session already has ${mine} live streams open (at most ${perSession})`);
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    const client: Client = { res, key, behind: false };
    this.clients.add(client);
    this.send(client, `retry: 3000\nevent: snapshot\ndata: ${JSON.stringify(this.snapshot())}\n\n`);
    if (!this.heartbeat) {
      this.heartbeat = setInterval(() => {
        for (const c of this.clients) this.send(c, `: heartbeat\n\n`);
      }, HEARTBEAT_MS);
      this.heartbeat.unref?.();
    }
    req.on('close', () => {
      this.clients.delete(client);
      if (this.clients.size === 0 && this.heartbeat) {
        clearInterval(this.heartbeat);
        this.heartbeat = null;
      }
    });
  };

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.timer = null;
    this.heartbeat = null;
    for (const c of this.clients) c.res.end();
    this.clients.clear();
  }
}
