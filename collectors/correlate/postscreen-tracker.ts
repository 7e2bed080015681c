// Postscreen connections arrive a million a day: they are tallied per minute and host
// (connect, pass, outcome:<first violation or pass>), never written as rows. An open
// connection is remembered only to learn its outcome.
import type { EventOf } from '../parse/events';

export interface OpenConnection {
  at: number;
  host: string;
  ip: string;
  /** the first violation seen (dnsbl, pregreet, ...) */
  outcome: string | null;
  rank: number | null;
}

/** Adds one to the tally `metric` of `host` for the minute of `at`. */
export type Tally = (at: number, host: string, metric: string) => void;

export interface PostscreenState {
  postscreenHosts: string[];
  connections: Array<[string, OpenConnection]>;
}

type PostscreenEvent = EventOf<'postscreen.connect' | 'postscreen.pass' | 'postscreen.violation' | 'postscreen.disconnect'>;

/** A postscreen dialogue lasts seconds; 10 minutes is generous. */
const CONNECTION_TTL = 600;

export class PostscreenTracker {
  /** hosts known to run postscreen: their smtpd sessions are not counted as connections */
  readonly hosts: Set<string>;
  private open: Map<string, OpenConnection>;

  constructor(knownHosts: string[], state?: PostscreenState | null) {
    this.hosts = new Set([...knownHosts, ...(state?.postscreenHosts ?? [])]);
    this.open = new Map(state?.connections ?? []);
  }

  get size(): number {
    return this.open.size;
  }

  snapshot(): PostscreenState {
    return { postscreenHosts: [...this.hosts], connections: [...this.open] };
  }

  handle(ev: PostscreenEvent, tally: Tally): void {
    const key = `${ev.host}|${ev.clientIp}|${ev.clientPort}`;
    switch (ev.kind) {
      case 'postscreen.connect': {
        this.hosts.add(ev.host);
        tally(ev.at, ev.host, 'connect');
        const prev = this.open.get(key);
        if (prev) close(prev, prev.outcome ?? 'disconnect', tally);
        this.open.set(key, { at: ev.at, host: ev.host, ip: ev.clientIp, outcome: null, rank: null });
        return;
      }
      case 'postscreen.pass': {
        // The PASS line proves the hand-off, on its own day, with or without its CONNECT.
        tally(ev.at, ev.host, 'pass');
        const c = this.open.get(key);
        if (c) {
          this.open.delete(key);
          close(c, ev.how === 'old' || ev.how === 'new' ? `pass-${ev.how}` : ev.how, tally);
        }
        return;
      }
      case 'postscreen.violation': {
        const c = this.open.get(key);
        if (c) {
          c.outcome ??= ev.test;
          if (ev.rank !== null) c.rank = ev.rank;
        }
        return;
      }
      case 'postscreen.disconnect': {
        const c = this.open.get(key);
        if (c) {
          this.open.delete(key);
          close(c, c.outcome ?? 'disconnect', tally);
        }
        return;
      }
    }
  }

  /** Closes connections whose end never came (lost lines), as `timeout` unless a violation was seen. */
  sweep(now: number, tally: Tally): void {
    for (const [k, c] of this.open) {
      if (now - c.at > CONNECTION_TTL) {
        close(c, c.outcome ?? 'timeout', tally);
        this.open.delete(k);
      }
    }
  }
}

/** The outcome of a connection counts on the minute it started. */
function close(c: OpenConnection, outcome: string, tally: Tally): void {
  let metric = outcomeMetrics.get(outcome);
  if (metric === undefined) outcomeMetrics.set(outcome, (metric = `outcome:${outcome}`));
  tally(c.at, c.host, metric);
}

/** `outcome:<x>` strings, made once: the same dozen outcomes repeat all day. */
const outcomeMetrics = new Map<string, string>();
