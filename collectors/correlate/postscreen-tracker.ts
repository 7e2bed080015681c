// Postscreen connections arrive a million a day: they are tallied per minute and host
// (connect, pass, outcome:<first violation or pass>), never written as rows. An open
// connection is remembered only to learn its outcome.
import type { EventOf, PostscreenViolation } from '../parse/events';

export interface OpenConnection {
  at: number;
  host: string;
  /** the first violation seen (dnsbl, pregreet, ...) */
  outcome: string | null;
  rank: number | null;
}

/** Adds one to the tally `metric` of `host` for the minute of `at`. */
export type Tally = (at: number, host: string, metric: string) => void;

export interface PostscreenState {
  postscreenHosts: string[];
  /** `host|ip]:port` → connection */
  connections: Array<[string, OpenConnection]>;
}

type PostscreenEvent = EventOf<'postscreen.connect' | 'postscreen.pass' | 'postscreen.violation' | 'postscreen.disconnect'>;

/** A postscreen dialogue lasts seconds; 10 minutes is generous. */
const CONNECTION_TTL = 600;

/**
 * The key of a connection within its host: `ip]:port`, exactly the text between `[` and the
 * port's end in the log line, so the postscreen lane can slice it instead of building it.
 */
export function connectionKey(ip: string, port: number): string {
  return `${ip}]:${port}`;
}

/** `host|ip|port` (state written before the key was `ip]:port`) or `host|ip]:port` → [host, key]. */
function restoredKey(k: string): [string, string] {
  const bar = k.indexOf('|');
  const host = k.slice(0, bar);
  const rest = k.slice(bar + 1);
  const old = rest.lastIndexOf('|');
  return [host, old < 0 ? rest : connectionKey(rest.slice(0, old), Number(rest.slice(old + 1)))];
}

export class PostscreenTracker {
  /** hosts known to run postscreen: their smtpd sessions are not counted as connections */
  readonly hosts: Set<string>;
  /** host → `ip]:port` → open connection (one small map per MX: no key concatenation per line) */
  private open = new Map<string, Map<string, OpenConnection>>();

  constructor(knownHosts: string[], state?: PostscreenState | null) {
    this.hosts = new Set([...knownHosts, ...(state?.postscreenHosts ?? [])]);
    for (const [k, c] of state?.connections ?? []) {
      const [host, key] = restoredKey(k);
      this.of(host).set(key, c);
    }
  }

  private of(host: string): Map<string, OpenConnection> {
    let m = this.open.get(host);
    if (m === undefined) this.open.set(host, (m = new Map()));
    return m;
  }

  get size(): number {
    let n = 0;
    for (const m of this.open.values()) n += m.size;
    return n;
  }

  snapshot(): PostscreenState {
    const connections: Array<[string, OpenConnection]> = [];
    for (const [host, m] of this.open) for (const [key, c] of m) connections.push([`${host}|${key}`, c]);
    return { postscreenHosts: [...this.hosts], connections };
  }

  handle(ev: PostscreenEvent, tally: Tally): void {
    const key = connectionKey(ev.clientIp, ev.clientPort);
    switch (ev.kind) {
      case 'postscreen.connect':
        return this.connect(ev.at, ev.host, key, tally);
      case 'postscreen.pass':
        return this.pass(ev.at, ev.host, key, ev.how, tally);
      case 'postscreen.violation':
        return this.violation(ev.host, key, ev.test, ev.rank);
      case 'postscreen.disconnect':
        return this.disconnect(ev.host, key, tally);
    }
  }

  connect(at: number, host: string, key: string, tally: Tally): void {
    let m = this.open.get(host);
    if (m === undefined) {
      this.hosts.add(host);
      m = this.of(host);
    }
    tally(at, host, 'connect');
    const prev = m.get(key);
    if (prev) close(prev, prev.outcome ?? 'disconnect', tally);
    m.set(key, { at, host, outcome: null, rank: null });
  }

  pass(at: number, host: string, key: string, how: 'old' | 'new' | 'whitelisted' | 'allowlisted', tally: Tally): void {
    // The PASS line proves the hand-off, on its own day, with or without its CONNECT.
    tally(at, host, 'pass');
    const m = this.open.get(host);
    const c = m?.get(key);
    if (c) {
      m!.delete(key);
      close(c, how === 'old' || how === 'new' ? (how === 'old' ? 'pass-old' : 'pass-new') : how, tally);
    }
  }

  violation(host: string, key: string, test: PostscreenViolation, rank: number | null): void {
    const c = this.open.get(host)?.get(key);
    if (c) {
      c.outcome ??= test;
      if (rank !== null) c.rank = rank;
    }
  }

  disconnect(host: string, key: string, tally: Tally): void {
    const m = this.open.get(host);
    const c = m?.get(key);
    if (c) {
      m!.delete(key);
      close(c, c.outcome ?? 'disconnect', tally);
    }
  }

  /** Closes connections whose end never came (lost lines), as `timeout` unless a violation was seen. */
  sweep(now: number, tally: Tally): void {
    for (const m of this.open.values()) {
      for (const [k, c] of m) {
        if (now - c.at > CONNECTION_TTL) {
          close(c, c.outcome ?? 'timeout', tally);
          m.delete(k);
        }
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
