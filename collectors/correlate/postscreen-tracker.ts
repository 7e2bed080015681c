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

/** Per-minute tallies of a batch: minute → host → metric → n. */
export type Tallies = Map<number, Map<string, Map<string, number>>>;

export interface PostscreenState {
  postscreenHosts: string[];
  /** `host|ip]:port` → connection */
  connections: Array<[string, OpenConnection]>;
}

type PostscreenEvent = EventOf<'postscreen.connect' | 'postscreen.pass' | 'postscreen.violation' | 'postscreen.disconnect'>;

/** A postscreen dialogue lasts seconds; 10 minutes is generous. */
const CONNECTION_TTL = 600;

/**
 * The key of a connection within its host. For IPv4 a number, ip × 65536 + port: a number key
 * is hashed in a few instructions, where a string sliced from each line cost a hundred
 * nanoseconds per lookup, and a million connections a day make three lookups each. Otherwise the
 * text `ip]:port`, as it stands between `[` and the port's end in the log line.
 */
export type ConnectionKey = number | string;

export function connectionKey(ip: string, port: number): ConnectionKey {
  const n = ipv4Number(ip, 0, ip.length);
  return n >= 0 && port < 65536 ? n * 65536 + port : `${ip}]:${port}`;
}

/** The dotted quad in text[start, end) as a number, -1 when it is not one. */
export function ipv4Number(text: string, start: number, end: number): number {
  let n = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || part > 255 || dots === 3) return -1;
      n = n * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else {
      const d = c - 48;
      if (d < 0 || d > 9 || digits === 3) return -1;
      part = part * 10 + d;
      digits++;
    }
  }
  if (dots !== 3 || digits === 0 || part > 255) return -1;
  return n * 256 + part;
}

/** The key as text `ip]:port` (the saved state's form). */
function keyText(key: ConnectionKey): string {
  if (typeof key === 'string') return key;
  const port = key % 65536;
  const ip = (key - port) / 65536;
  return `${Math.floor(ip / 16777216)}.${Math.floor(ip / 65536) % 256}.${Math.floor(ip / 256) % 256}.${ip % 256}]:${port}`;
}

/** `host|ip]:port`, or `host|ip|port` (state written by an older version) → [host, key]. */
function restoredKey(k: string): [string, ConnectionKey] {
  const bar = k.indexOf('|');
  const host = k.slice(0, bar);
  const rest = k.slice(bar + 1);
  const old = rest.lastIndexOf('|');
  if (old >= 0) return [host, connectionKey(rest.slice(0, old), Number(rest.slice(old + 1)))];
  const sep = rest.lastIndexOf(']:');
  return [host, sep < 0 ? rest : connectionKey(rest.slice(0, sep), Number(rest.slice(sep + 2)))];
}

/** One MX: its open connections by `ip]:port`, and the tally cell it last counted in. */
interface HostState {
  host: string;
  /** a CONNECT was seen: the host is in `hosts` (a PASS alone, at a log's start, does not say so) */
  connects: boolean;
  open: Map<ConnectionKey, OpenConnection>;
  minute: number;
  cell: Map<string, number> | null;
}

export class PostscreenTracker {
  /** hosts known to run postscreen: their smtpd sessions are not counted as connections */
  readonly hosts: Set<string>;
  /** one state per MX: no key concatenation per line, and each MX keeps its own tally cell */
  private open = new Map<string, HostState>();
  /** this batch's tallies (numbers and interned strings only: this runs for most lines of a day) */
  private tallies: Tallies = new Map();

  constructor(knownHosts: string[], state?: PostscreenState | null) {
    this.hosts = new Set([...knownHosts, ...(state?.postscreenHosts ?? [])]);
    for (const [k, c] of state?.connections ?? []) {
      const [host, key] = restoredKey(k);
      this.of(host).open.set(key, c);
    }
  }

  private of(host: string): HostState {
    let h = this.open.get(host);
    if (h === undefined) this.open.set(host, (h = { host, connects: false, open: new Map(), minute: -1, cell: null }));
    return h;
  }

  get size(): number {
    let n = 0;
    for (const h of this.open.values()) n += h.open.size;
    return n;
  }

  snapshot(): PostscreenState {
    const connections: Array<[string, OpenConnection]> = [];
    for (const [host, h] of this.open) for (const [key, c] of h.open) connections.push([`${host}|${keyText(key)}`, c]);
    return { postscreenHosts: [...this.hosts], connections };
  }

  /** The tallies counted since the last call. */
  drainTallies(): Tallies {
    const t = this.tallies;
    this.tallies = new Map();
    for (const h of this.open.values()) h.cell = null;
    return t;
  }

  /** Adds one to `metric` of host h for the minute of `at`. */
  private count(h: HostState, at: number, metric: string): void {
    const minute = Math.floor(at / 60) * 60;
    let cell = h.cell;
    if (cell === null || h.minute !== minute) {
      let hosts = this.tallies.get(minute);
      if (hosts === undefined) this.tallies.set(minute, (hosts = new Map()));
      cell = hosts.get(h.host) ?? null;
      if (cell === null) hosts.set(h.host, (cell = new Map<string, number>()));
      h.minute = minute;
      h.cell = cell;
    }
    cell.set(metric, (cell.get(metric) ?? 0) + 1);
  }

  /** The outcome of a connection counts on the minute it started. */
  private close(h: HostState, c: OpenConnection, outcome: string): void {
    let metric = outcomeMetrics.get(outcome);
    if (metric === undefined) outcomeMetrics.set(outcome, (metric = `outcome:${outcome}`));
    this.count(h, c.at, metric);
  }

  handle(ev: PostscreenEvent): void {
    const key = connectionKey(ev.clientIp, ev.clientPort);
    switch (ev.kind) {
      case 'postscreen.connect':
        return this.connect(ev.at, ev.host, key);
      case 'postscreen.pass':
        return this.pass(ev.at, ev.host, key, ev.how);
      case 'postscreen.violation':
        return this.violation(ev.host, key, ev.test, ev.rank);
      case 'postscreen.disconnect':
        return this.disconnect(ev.host, key);
    }
  }

  connect(at: number, host: string, key: ConnectionKey): void {
    const h = this.of(host);
    if (!h.connects) {
      h.connects = true;
      this.hosts.add(host);
    }
    this.count(h, at, 'connect');
    const prev = h.open.get(key);
    if (prev) this.close(h, prev, prev.outcome ?? 'disconnect');
    h.open.set(key, { at, host, outcome: null, rank: null });
  }

  pass(at: number, host: string, key: ConnectionKey, how: 'old' | 'new' | 'whitelisted' | 'allowlisted'): void {
    // The PASS line proves the hand-off, on its own day, with or without its CONNECT.
    const h = this.of(host);
    this.count(h, at, 'pass');
    const c = h.open.get(key);
    if (c) {
      h.open.delete(key);
      this.close(h, c, how === 'old' ? 'pass-old' : how === 'new' ? 'pass-new' : how);
    }
  }

  violation(host: string, key: ConnectionKey, test: PostscreenViolation, rank: number | null): void {
    const c = this.open.get(host)?.open.get(key);
    if (c) {
      c.outcome ??= test;
      if (rank !== null) c.rank = rank;
    }
  }

  disconnect(host: string, key: ConnectionKey): void {
    const h = this.open.get(host);
    const c = h?.open.get(key);
    if (c) {
      h!.open.delete(key);
      this.close(h!, c, c.outcome ?? 'disconnect');
    }
  }

  /** Closes connections whose end never came (lost lines), as `timeout` unless a violation was seen. */
  sweep(now: number): void {
    for (const h of this.open.values()) {
      for (const [k, c] of h.open) {
        if (now - c.at > CONNECTION_TTL) {
          this.close(h, c, c.outcome ?? 'timeout');
          h.open.delete(k);
        }
      }
    }
  }
}

/** `outcome:<x>` strings, made once: the same dozen outcomes repeat all day. */
const outcomeMetrics = new Map<string, string>();
