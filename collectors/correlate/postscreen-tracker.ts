// Postscreen connections arrive a million a day: they are tallied per minute and host
// (connect, pass, outcome:<first violation or pass>), never written as rows. An open
// connection is remembered only to learn its outcome.
import type { EventOf, PostscreenViolation } from '../parse/events';
import { Ipv4Table } from './ipv4-table';
import type { ClientOf, CountryTally } from './country-tally';
import type { GeoCounts } from './country-codes';
import { type ConnectionKey, connectionKey, ipOf, keyText, restoredKey } from './connection-keys';

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

const NO_OUTCOME = -1;

/** Outcome names by id, and ids by name: a dozen, the same all day. */
const outcomeNames: string[] = [];

const outcomeIds = new Map<string, number>();

function outcomeId(name: string): number {
  let id = outcomeIds.get(name);
  if (id === undefined) {
    id = outcomeNames.push(name) - 1;
    outcomeIds.set(name, id);
  }
  return id;
}

const PASS_OLD = outcomeId('pass-old');

const PASS_NEW = outcomeId('pass-new');

const DISCONNECTED = outcomeId('disconnect');

const TIMED_OUT = outcomeId('timeout');

/** Tally metrics by id: 0 connect, 1 pass, 2 + k the outcome of id k. */
const CONNECT_METRIC = 0;

const PASS_METRIC = 1;

function metricName(id: number): string {
  return id === CONNECT_METRIC ? 'connect' : id === PASS_METRIC ? 'pass' : `outcome:${outcomeNames[id - 2]}`;
}

/** A host's counts for one minute, by metric id. */
type Cell = number[];

/** One MX: its open connections, and the tally cell it last counted in. */
export interface HostState {
  readonly host: string;
  /** a CONNECT was seen: the host is in `hosts` (a PASS alone, at a log's start, does not say so) */
  connects: boolean;
  v4: Ipv4Table;
  /** connections keyed by text (IPv6, or a port out of range): few */
  other: Map<string, OpenConnection>;
  minute: number;
  cell: Cell | null;
}

export class PostscreenTracker {
  /** when set, connections and outcomes are also tallied per hour and client country */
  countries: CountryTally | null = null;

  /** hosts known to run postscreen: their smtpd sessions are not counted as connections */
  readonly hosts: Set<string>;
  /** one state per MX: no key concatenation per line, and each MX keeps its own tally cell */
  private open = new Map<string, HostState>();
  /** this batch's tallies: minute → host → counts by metric id */
  private tallies = new Map<number, Map<string, Cell>>();

  constructor(knownHosts: string[], state?: PostscreenState | null) {
    this.hosts = new Set([...knownHosts, ...(state ? state.postscreenHosts : [])]);
    for (const [k, c] of state ? state.connections : []) {
      const [host, key] = restoredKey(k);
      const h = this.hostState(host);
      if (typeof key === 'number') {
        const port = key % 65536;
        h.v4.add(((key - port) / 65536) | 0, port, c.at, c.outcome === null ? NO_OUTCOME : outcomeId(c.outcome), c.rank ?? NaN);
      } else h.other.set(key, c);
    }
  }

  /** The state of a host, made on first use (the lane keeps it, with the host's name). */
  hostState(host: string): HostState {
    let h = this.open.get(host);
    if (h === undefined) this.open.set(host, (h = { host, connects: false, v4: new Ipv4Table(), other: new Map(), minute: -1, cell: null }));
    return h;
  }

  get size(): number {
    let n = 0;
    for (const h of this.open.values()) n += h.v4.size + h.other.size;
    return n;
  }

  snapshot(): PostscreenState {
    const connections: Array<[string, OpenConnection]> = [];
    for (const [host, h] of this.open) {
      const t = h.v4;
      for (const i of t.slots()) {
        const o = t.outcome[i]!;
        const r = t.rank[i]!;
        connections.push([`${host}|${keyText((t.ip[i]! >>> 0) * 65536 + t.port[i]!)}`, { at: t.at[i]!, host, outcome: o === NO_OUTCOME ? null : outcomeNames[o]!, rank: r === r ? r : null }]);
      }
      for (const [key, c] of h.other) connections.push([`${host}|${key}`, c]);
    }
    return { postscreenHosts: [...this.hosts], connections };
  }

  /** The tallies counted since the last call. */
  drainTallies(): Tallies {
    const out: Tallies = new Map();
    for (const [minute, hosts] of this.tallies) {
      const byHost = new Map<string, Map<string, number>>();
      for (const [host, cell] of hosts) {
        const metrics = new Map<string, number>();
        for (let id = 0; id < cell.length; id++) if (cell[id]! > 0) metrics.set(metricName(id), cell[id]!);
        byHost.set(host, metrics);
      }
      out.set(minute, byHost);
    }
    this.tallies = new Map();
    for (const h of this.open.values()) h.cell = null;
    return out;
  }

  /** The country tallies counted since the last call (nothing with GeoIP off). */
  drainCountries(out: GeoCounts, touch: (hour: number) => void): void {
    this.countries?.drainInto(out, metricName, touch);
  }

  /** Adds one to metric `id` of host h for the minute of `at`. */
  private count(h: HostState, at: number, id: number): void {
    const minute = Math.floor(at / 60) * 60;
    let cell = h.cell;
    if (cell === null || h.minute !== minute) {
      let hosts = this.tallies.get(minute);
      if (hosts === undefined) this.tallies.set(minute, (hosts = new Map()));
      cell = hosts.get(h.host) ?? null;
      if (cell === null) hosts.set(h.host, (cell = []));
      h.minute = minute;
      h.cell = cell;
    }
    while (cell.length <= id) cell.push(0);
    cell[id]!++;
  }

  /** The outcome of a connection counts on the minute it started (and in its client's country). */
  private close(h: HostState, at: number, outcome: number, client: ClientOf): void {
    this.count(h, at, 2 + outcome);
    this.countries?.count(at, client, 2 + outcome);
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
    const h = this.hostState(host);
    if (typeof key === 'number') return this.connectV4(h, at, ipOf(key), key % 65536);
    this.connected(h, at, key);
    const prev = h.other.get(key);
    if (prev) this.close(h, prev.at, prev.outcome === null ? DISCONNECTED : outcomeId(prev.outcome), key);
    h.other.set(key, { at, host, outcome: null, rank: null });
  }

  pass(at: number, host: string, key: ConnectionKey, how: 'old' | 'new' | 'whitelisted' | 'allowlisted'): void {
    const h = this.hostState(host);
    if (typeof key === 'number') return this.passV4(h, at, ipOf(key), key % 65536, how);
    // The PASS line proves the hand-off, on its own day, with or without its CONNECT.
    this.count(h, at, PASS_METRIC);
    const c = h.other.get(key);
    if (c) {
      h.other.delete(key);
      this.close(h, c.at, passOutcome(how), key);
    }
  }

  violation(host: string, key: ConnectionKey, test: PostscreenViolation, rank: number | null): void {
    const h = this.open.get(host);
    if (h === undefined) return;
    if (typeof key === 'number') return this.violationV4(h, ipOf(key), key % 65536, test, rank);
    const c = h.other.get(key);
    if (c) {
      c.outcome ??= test;
      if (rank !== null) c.rank = rank;
    }
  }

  disconnect(host: string, key: ConnectionKey): void {
    const h = this.open.get(host);
    if (h === undefined) return;
    if (typeof key === 'number') return this.disconnectV4(h, ipOf(key), key % 65536);
    const c = h.other.get(key);
    if (c) {
      h.other.delete(key);
      this.close(h, c.at, c.outcome === null ? DISCONNECTED : outcomeId(c.outcome), key);
    }
  }

  // The same for an IPv4 client, `ip` as an int32 (the lane reads it so from the line).

  connectV4(h: HostState, at: number, ip: number, port: number): void {
    this.connected(h, at, ip);
    const t = h.v4;
    const prev = t.find(ip, port);
    if (prev >= 0) {
      const o = t.outcome[prev]!;
      this.close(h, t.at[prev]!, o === NO_OUTCOME ? DISCONNECTED : o, ip);
      t.at[prev] = at;
      t.outcome[prev] = NO_OUTCOME;
      t.rank[prev] = NaN;
    } else t.add(ip, port, at, NO_OUTCOME, NaN);
  }

  passV4(h: HostState, at: number, ip: number, port: number, how: 'old' | 'new' | 'whitelisted' | 'allowlisted'): void {
    this.count(h, at, PASS_METRIC);
    const t = h.v4;
    const i = t.find(ip, port);
    if (i >= 0) {
      t.remove(i);
      this.close(h, t.at[i]!, passOutcome(how), ip);
    }
  }

  violationV4(h: HostState, ip: number, port: number, test: PostscreenViolation, rank: number | null): void {
    const t = h.v4;
    const i = t.find(ip, port);
    if (i >= 0) {
      if (t.outcome[i] === NO_OUTCOME) t.outcome[i] = outcomeId(test);
      if (rank !== null) t.rank[i] = rank;
    }
  }

  disconnectV4(h: HostState, ip: number, port: number): void {
    const t = h.v4;
    const i = t.find(ip, port);
    if (i >= 0) {
      t.remove(i);
      const o = t.outcome[i]!;
      this.close(h, t.at[i]!, o === NO_OUTCOME ? DISCONNECTED : o, ip);
    }
  }

  /** Counts a connection (and in its client's country). */
  private connected(h: HostState, at: number, client: ClientOf): void {
    if (!h.connects) {
      h.connects = true;
      this.hosts.add(h.host);
    }
    this.count(h, at, CONNECT_METRIC);
    this.countries?.count(at, client, CONNECT_METRIC);
  }

  /** Closes connections whose end never came (lost lines), as `timeout` unless a violation was seen. */
  sweep(now: number): void {
    for (const h of this.open.values()) {
      const t = h.v4;
      for (const i of t.slots()) {
        if (now - t.at[i]! > CONNECTION_TTL) {
          const o = t.outcome[i]!;
          this.close(h, t.at[i]!, o === NO_OUTCOME ? TIMED_OUT : o, t.ip[i]!);
          t.remove(i);
        }
      }
      for (const [k, c] of h.other) {
        if (now - c.at > CONNECTION_TTL) {
          this.close(h, c.at, c.outcome === null ? TIMED_OUT : outcomeId(c.outcome), k);
          h.other.delete(k);
        }
      }
    }
  }
}

function passOutcome(how: 'old' | 'new' | 'whitelisted' | 'allowlisted'): number {
  return how === 'old' ? PASS_OLD : how === 'new' ? PASS_NEW : outcomeId(how);
}
