// Turns parsed events into rows: postscreen connections, queue-id lives joined through
// the content filter, deliveries, verdicts, logins. Pure: no database, no clock — "now"
// is the newest log time seen. Its open state serialises to JSON and is persisted with
// the checkpoint, so a restart continues exactly where the last commit stopped.
import type { MailEvent, EventOf } from '../parse/events';
import { PostscreenTracker, type PostscreenState } from './postscreen-tracker';
import { CountryTally, type CountryResolver } from './country-tally';
import type { GeoipConfig } from '../../core/config/geoip-schema';
import { PostscreenLane } from './postscreen-lane';
import type { ParseContext } from '../parse/index';
import { LmtpMatcher, type LmtpMatcherState } from './lmtp-matcher';
import { markActivity } from './host-activity';
import { connectFailureIn } from '../parse/postfix';
import {
  emptyOutput,
  type ConnectionRow,
  type Hop,
  type MessageOrigin,
  type MessageUpdate,
  type Output,
  type VerdictCategory,
} from './records';

export interface CorrelatorOptions {
  /** inbound SpamAssassin tag level: a Passed line scoring at least this is spam_tagged */
  spamTagLevel: number;
  /** hosts in the `mailbox` role: SMTP/LMTP to them is mailbox delivery, not forwarding */
  mailboxHosts: string[];
  /** hosts known to run postscreen (also learned from the log) */
  postscreenHosts: string[];
  /** open queue-id records older than this (log time) are forgotten */
  openRecordTtlSeconds: number;
  /** the `geoip:` config: whoever builds a correlator opens it (collectors/enrich) to count countries */
  geoip?: GeoipConfig;
}

interface OpenSession {
  rowId: number | null;
  at: number;
  host: string;
  ip: string;
  clientHost: string;
  auth: boolean;
  /** on a submission service (`postfix/submission/smtpd`): never an inbound connection (METRICS.md) */
  submission?: boolean;
}

/** master.cf's submission services, by the syslog_name of their smtpd (`postfix/submission/smtpd`). */
const SUBMISSION_SMTPD = /\/(?:submission|submissions|smtps)\/smtpd$/;

interface OpenMessage {
  id: number;
  host: string;
  qid: string;
  origin: MessageOrigin;
  rootId: number;
  linked: boolean;
  lastAt: number;
  /** first final-hop `sent` seen before the record was linked to its parent */
  pendingSentAt: number | null;
  sent: number;
  deferred: number;
  bounced: number;
  blocked: boolean;
  rejected: boolean;
  filtered: boolean;
  /** qmgr has logged from= once (it logs it again each time a deferred message is retried) */
  queued: boolean;
}

interface RootInfo {
  origin: MessageOrigin;
  delivered: boolean;
  lastAt: number;
  /** open queue-id records that belong to this root; the root is forgotten at 0 */
  open: number;
}

export interface CorrelatorState extends PostscreenState, LmtpMatcherState {
  version: 1;
  nextMessageId: number;
  nextConnectionId: number;
  now: number;
  sessions: Array<[string, OpenSession]>;
  messages: Array<[string, OpenMessage]>;
  roots: Array<[number, RootInfo]>;
  awaitingLink: Array<[string, OpenMessage]>;
}

/**
 * The postscreen part of a state, for a correlator that will see only postscreen lines (the
 * reading thread of a bulk ingest); nothing else, or its sweep would expire records it never sees.
 */
export function postscreenPart(state: CorrelatorState | null): CorrelatorState | null {
  if (!state) return null;
  return { ...state, sessions: [], messages: [], roots: [], awaitingLink: [], lmtpSaved: [], lmtpDelivered: [] };
}

/** The rest of a state, for the correlator of the ingest thread: no open postscreen connections. */
export function withoutPostscreen(state: CorrelatorState | null): CorrelatorState | null {
  if (!state) return null;
  return { ...state, connections: [] };
}

const SESSION_TTL = 3600; // smtpd session limit is far below an hour
/** Sessions per generation of Correlator.loginSessions: hours of logins at the seed's rate. */
const LOGIN_SESSION_GENERATION = 4096;
const AWAIT_LINK_TTL = 3600; // the filter answers within its timeout (minutes)


export function isLoopback(ip: string | null | undefined): boolean {
  if (!ip) return false;
  return ip.startsWith('127.') || ip === '::1' || ip === '::ffff:127.0.0.1';
}

function hourOf(at: number): number {
  return Math.floor(at / 3600) * 3600;
}

export class Correlator {
  private nextMessageId: number;
  private nextConnectionId: number;
  private now = 0;
  private readonly postscreen: PostscreenTracker;
  private readonly lane: PostscreenLane;
  private readonly lmtp: LmtpMatcher;
  private readonly mailboxHosts: Set<string>;
  private sessions = new Map<string, OpenSession>();
  private messages = new Map<string, OpenMessage>();
  private roots = new Map<number, RootInfo>();
  /** re-injected copies removed before the line linking them to their original arrived */
  private awaitingLink = new Map<string, OpenMessage>();
  private out: Output = emptyOutput();
  /** this batch's update of each message (in out.messageUpdates) */
  private pendingUpdates = new Map<number, MessageUpdate>();
  private lastSweep = 0;
  /**
   * Dovecot sessions whose login was emitted lately, in two generations: a relayed session logs
   * on the proxy and again on the backend within seconds, and is one login (METRICS.md). The
   * store's unique index on the session keeps the first row anyway (across restarts too, as
   * this is not persisted), but an ignored insert cost as much as a row: half a seed day's
   * 86,000 login lines.
   */
  private loginSessions = new Set<string>();
  private olderLoginSessions = new Set<string>();

  constructor(
    private readonly opts: CorrelatorOptions,
    state?: CorrelatorState | null,
    firstMessageId = 1,
    firstConnectionId = 1,
  ) {
    this.nextConnectionId = firstConnectionId;
    this.mailboxHosts = new Set(opts.mailboxHosts);
    this.postscreen = new PostscreenTracker(opts.postscreenHosts, state);
    this.lane = new PostscreenLane(this.postscreen);
    this.lmtp = new LmtpMatcher(state);
    this.nextMessageId = firstMessageId;
    if (state) {
      this.nextMessageId = Math.max(state.nextMessageId, firstMessageId);
      this.nextConnectionId = Math.max(state.nextConnectionId ?? 1, firstConnectionId);
      this.now = state.now;
      this.sessions = new Map(state.sessions);
      this.messages = new Map(state.messages);
      this.roots = new Map(state.roots);
      this.awaitingLink = new Map(state.awaitingLink ?? []);
    }
  }

  /** Open records and counters, as JSON-able data (persisted with the checkpoint). */
  snapshot(): CorrelatorState {
    return {
      version: 1,
      nextMessageId: this.nextMessageId,
      nextConnectionId: this.nextConnectionId,
      now: this.now,
      ...this.postscreen.snapshot(),
      sessions: [...this.sessions],
      messages: [...this.messages],
      roots: [...this.roots],
      awaitingLink: [...this.awaitingLink],
      ...this.lmtp.snapshot(),
    };
  }

  /** The open postscreen connections and known postscreen hosts, and the log clock. */
  /** Tallies postscreen connections and outcomes per client country too (see country-tally.ts). */
  countCountries(resolver: CountryResolver): void {
    this.postscreen.countries = new CountryTally(resolver);
  }

  postscreenSnapshot(): PostscreenState & { now: number } {
    return { ...this.postscreen.snapshot(), now: this.now };
  }

  /** Hosts another correlator saw running postscreen: their smtpd sessions are not connections. */
  learnPostscreenHosts(hosts: Iterable<string>): void {
    for (const h of hosts) this.postscreen.hosts.add(h);
  }

  openCounts(): { connections: number; sessions: number; messages: number; roots: number } {
    return { connections: this.postscreen.size, sessions: this.sessions.size, messages: this.messages.size, roots: this.roots.size };
  }

  /** Rows produced since the last call. */
  drain(): Output {
    // smtpd sessions still open are written now, so that a count never waits for a line
    // that may come only in the next batch (or never); their end is an update later.
    for (const s of this.sessions.values()) {
      if (s.rowId === null) {
        s.rowId = this.nextConnectionId++;
        this.out.connections.push(this.sessionRow(s.rowId, s, false));
        this.touch(s.at);
      }
    }
    this.drainTallies();
    const o = this.out;
    this.out = emptyOutput();
    this.pendingUpdates = new Map();
    return o;
  }

  /** Feed one event; `line` is the raw text, kept for message traces. */
  push(ev: MailEvent, line: string): void {
    if (ev.kind === 'unparsed') {
      if (ev.host) markActivity(this.out.activity, ev.host, ev.at);
      this.out.unparsedLines++;
      const program = ev.program || '(none)';
      const u = this.out.unparsed.get(program);
      if (u) {
        u.n++;
        u.lastAt = ev.at;
      } else this.out.unparsed.set(program, { n: 1, sample: line.slice(0, 500), lastAt: ev.at });
      return;
    }
    if (ev.kind === 'other') {
      this.out.otherLines++;
      const program = ev.program || '(none)';
      const o = this.out.other.get(program);
      if (o) {
        o.n++;
        o.lastAt = ev.at;
      } else this.out.other.set(program, { n: 1, lastAt: ev.at });
      return;
    }
    this.out.recognised++;
    if (ev.at > this.now) this.now = ev.at;
    // The lines the postscreen lane can take count through their tallies (the store marks the
    // minutes of those): marking them here too would make the two paths' outputs differ.
    if (!this.laneKind(ev)) markActivity(this.out.activity, ev.host, ev.at);
    this.dispatch(ev, line);
    this.maybeSweep();
  }

  private laneKind(ev: MailEvent): boolean {
    const k = ev.kind;
    if (k.startsWith('postscreen.') || k === 'postfix.dnsblog') return true;
    return (k === 'smtpd.connect' || k === 'smtpd.disconnect') && this.postscreen.hosts.has(ev.host);
  }

  /**
   * Reads a common postscreen or dnsblog line straight into the tracker (see postscreen-lane.ts).
   * Returns the line's instant, or NaN when it was not taken: then parse it and push() the event.
   */
  pushLine(line: string, ctx: ParseContext): number {
    const b = Buffer.from(line, 'utf8');
    return this.pushBytes(b, 0, b.length, ctx);
  }

  /** pushLine for the line b[start, end) of a buffer of lines (the bulk reader's). */
  pushBytes(b: Buffer, start: number, end: number, ctx: ParseContext): number {
    const at = this.lane.take(b, start, end, ctx);
    if (at !== at) return at;
    this.out.recognised++;
    if (at > this.now) this.now = at;
    this.maybeSweep();
    return at;
  }

  /** Sweeps expired records about once a log minute. */
  private maybeSweep(): void {
    if (this.now - this.lastSweep >= 60) {
      this.lastSweep = this.now;
      this.sweep();
    }
  }

  /** Close everything older than its TTL (also called at end of input by tests). */
  sweep(): void {
    const now = this.now;
    this.postscreen.sweep(now);
    for (const [k, s] of this.sessions) {
      if (now - s.at > SESSION_TTL) {
        // Its disconnect never came (lost line): the connect line still proves a connection.
        if (s.rowId === null) {
          this.out.connections.push(this.sessionRow(this.nextConnectionId++, s, s.auth));
          this.touch(s.at);
        }
        this.sessions.delete(k);
      }
    }
    const ttl = this.opts.openRecordTtlSeconds;
    for (const [k, m] of this.messages) {
      if (now - m.lastAt > ttl) {
        this.messages.delete(k);
        this.release(m.rootId);
      }
    }
    for (const [k, m] of this.awaitingLink) {
      if (now - m.lastAt > AWAIT_LINK_TTL) {
        this.awaitingLink.delete(k);
        this.release(m.rootId);
      }
    }
    this.lmtp.sweep(now);
    for (const [k, r] of this.roots) {
      if (now - r.lastAt > ttl) this.roots.delete(k);
    }
  }

  // ---------------------------------------------------------------------------

  private touch(at: number): void {
    this.out.touchedHours.add(hourOf(at));
  }

  private dispatch(ev: MailEvent, line: string): void {
    switch (ev.kind) {
      case 'postscreen.connect':
      case 'postscreen.pass':
      case 'postscreen.violation':
      case 'postscreen.disconnect':
        this.postscreen.handle(ev);
        return;
      case 'postfix.reject':
        return this.onReject(ev, line);
      case 'smtpd.connect': {
        if (this.postscreen.hosts.has(ev.host)) return;
        this.sessions.set(`${ev.host}|${ev.program}|${ev.pid}`, {
          rowId: null,
          at: ev.at,
          host: ev.host,
          ip: ev.clientIp,
          clientHost: ev.clientHost,
          auth: false,
          ...(SUBMISSION_SMTPD.test(ev.program) ? { submission: true } : {}),
        });
        return;
      }
      case 'smtpd.sasl-failed': {
        const s = this.sessions.get(`${ev.host}|${ev.program}|${ev.pid}`);
        if (s) s.auth = true;
        this.out.authFailures.push({
          at: Math.floor(ev.at),
          host: ev.host,
          clientIp: ev.clientIp,
          clientHost: ev.clientHost,
          mechanism: ev.mechanism,
          username: ev.saslUsername,
          reason: ev.reason,
        });
        this.touch(ev.at);
        return;
      }
      case 'smtpd.disconnect': {
        // Behind postscreen an smtpd session is no connection of its own (a session opened before
        // the host was known to run postscreen is written when it expires).
        if (this.postscreen.hosts.has(ev.host)) return;
        const key = `${ev.host}|${ev.program}|${ev.pid}`;
        const s = this.sessions.get(key);
        if (!s) return;
        this.sessions.delete(key);
        const auth = s.auth || (ev.commands?.auth?.total ?? 0) > 0;
        if (s.rowId !== null) {
          const row = this.sessionRow(s.rowId, s, auth);
          this.out.connectionUpdates.push({ id: s.rowId, outcome: row.outcome, authAttempted: auth, counted: row.counted });
        } else {
          this.out.connections.push(this.sessionRow(this.nextConnectionId++, s, auth));
        }
        this.touch(s.at);
        return;
      }
      case 'smtpd.client': {
        const m = this.message(ev.host, ev.qid, ev.at, line, ev.program);
        const origin: MessageOrigin = isLoopback(ev.clientIp) ? 'reinjected' : ev.saslUsername ? 'submission' : 'inbound';
        m.origin = origin;
        this.setRootOrigin(m, origin);
        const s = this.sessions.get(`${ev.host}|${ev.program}|${ev.pid}`);
        if (s && ev.saslUsername) s.auth = true;
        this.update(m.id, {
          origin,
          client_ip: ev.clientIp,
          client_host: ev.clientHost,
          ...(ev.saslUsername ? { sasl_username: ev.saslUsername } : {}),
        });
        return;
      }
      case 'pickup.from': {
        const m = this.message(ev.host, ev.qid, ev.at, line, ev.program);
        m.origin = 'local';
        this.setRootOrigin(m, 'local');
        this.update(m.id, { origin: 'local', sender: ev.from });
        return;
      }
      case 'cleanup.message-id': {
        const m = this.message(ev.host, ev.qid, ev.at, line, ev.program);
        if (!ev.resent) this.update(m.id, { message_id: ev.messageId });
        return;
      }
      case 'qmgr.from': {
        const m = this.message(ev.host, ev.qid, ev.at, line, ev.program);
        const set: MessageUpdate = { sender: ev.from, size_bytes: ev.size, nrcpt: ev.nrcpt };
        // A queue id's first qmgr from= is the moment the message is queued; qmgr logs it
        // again after a deferral, which must not count twice.
        if (!m.queued) {
          m.queued = true;
          if (m.origin === 'inbound') set.received_at = Math.floor(ev.at);
          else if (m.origin === 'submission') set.submitted_at = Math.floor(ev.at);
        }
        this.update(m.id, set);
        return;
      }
      case 'qmgr.expired': {
        const m = this.message(ev.host, ev.qid, ev.at, line, ev.program);
        this.update(m.id, { status: 'expired' });
        return;
      }
      case 'qmgr.removed': {
        const key = `${ev.host}|${ev.qid}`;
        const m = this.messages.get(key);
        if (!m) return;
        this.line(m, ev.at, ev.host, ev.program, line);
        const status = m.rejected
          ? 'rejected'
          : m.blocked
            ? 'blocked'
            : m.bounced > 0
              ? 'bounced'
              : m.sent > 0 || (m.filtered && this.roots.get(m.rootId)?.delivered)
                ? 'delivered'
                : m.filtered
                  ? 'filtered'
                  : 'removed';
        this.update(m.id, { removed_at: Math.floor(ev.at), status });
        this.messages.delete(key);
        // A copy can be delivered and removed before the filter hop of its original is
        // logged; keep it (briefly) so that line can still link it.
        if (m.origin === 'reinjected' && !m.linked) this.awaitingLink.set(key, m);
        else this.release(m.rootId);
        return;
      }
      case 'postfix.delivery': {
        // One destination address only (LMTP to a mailbox server, the filter port): Postfix
        // logs the refused connect in the deferral alone, with no line of its own.
        const cf = ev.status === 'deferred' ? connectFailureIn(ev.reply) : null;
        if (cf) this.serviceEvent(ev.at, ev.host, ev.program, cf.refused ? 'refused' : 'unreachable', cf.destHost, cf.destPort, line);
        return this.onDelivery(ev, line);
      }
      case 'postfix.connect-failed':
        this.serviceEvent(ev.at, ev.host, ev.program, ev.refused ? 'refused' : 'unreachable', ev.destHost, ev.destPort, line);
        return;
      case 'bounce.notification': {
        // The line belongs to the trace of both the bounced message and its notification;
        // the notification is locally generated mail, never a new inbound message.
        this.message(ev.host, ev.qid, ev.at, line, ev.program);
        const ndn = this.message(ev.host, ev.ndnQid, ev.at, line, ev.program);
        ndn.origin = 'local';
        this.setRootOrigin(ndn, 'local');
        this.update(ndn.id, { origin: 'local' });
        return;
      }
      case 'postfix.master':
        this.serviceEvent(ev.at, ev.host, ev.program, ev.action, null, null, line);
        return;
      case 'amavis.verdict':
        return this.onVerdict(ev, line);
      case 'amavis.lifecycle':
        this.serviceEvent(ev.at, ev.host, 'amavis', ev.action, null, null, line);
        return;
      case 'greylist.delayed':
      case 'greylist.autowhitelisted': {
        if (ev.qid) {
          const m = this.messages.get(`${ev.host}|${ev.qid}`);
          if (m) this.line(m, ev.at, ev.host, ev.program, line);
        }
        return;
      }
      case 'dovecot.login':
        this.login(ev, ev.protocol, ev.user, true, ev.method, ev.rip, ev.lip, ev.session, null);
        return;
      case 'dovecot.proxy-started':
        this.login(ev, ev.protocol, ev.user, true, null, ev.rip, ev.lip, ev.session, ev.backend);
        return;
      case 'dovecot.auth-failed':
        this.login(ev, ev.protocol, ev.user, false, ev.method, ev.rip, ev.lip, ev.session, null);
        return;
      case 'dovecot.proxy-failed':
        if (ev.unreachable) {
          const b = splitBackend(ev.backend);
          this.serviceEvent(ev.at, ev.host, 'dovecot', 'unreachable', b.host, b.port, line);
        } else {
          this.login(ev, ev.protocol, ev.user, false, null, null, null, ev.session, ev.backend);
        }
        return;
      case 'dovecot.lmtp-saved': {
        if (!ev.session) return;
        const pending = { at: ev.at, host: ev.host, program: ev.program, text: line };
        const messageRow = this.lmtp.onSaved(ev.session, pending);
        if (messageRow !== null) this.out.messageLines.push({ messageRow, ...pending });
        return;
      }
      case 'dovecot.master':
        this.serviceEvent(ev.at, ev.host, 'dovecot', ev.action, null, null, line);
        return;
      default:
        return;
    }
  }

  /** Moves the batch's tallies into the output, keyed `minute|host|metric`. */
  private drainTallies(): void {
    for (const [minute, hosts] of this.postscreen.drainTallies()) {
      this.touch(minute);
      for (const [host, metrics] of hosts) for (const [metric, n] of metrics) this.out.tally.set(`${minute}|${host}|${metric}`, n);
    }
  }

  private sessionRow(id: number, s: OpenSession, auth: boolean): ConnectionRow {
    return {
      id,
      at: Math.floor(s.at),
      host: s.host,
      kind: 'smtpd',
      clientIp: s.ip,
      clientHost: s.clientHost,
      outcome: auth ? 'auth' : 'disconnect',
      authAttempted: auth,
      // a submission session whose AUTH line never came (the log ends first) is still not inbound
      counted: !auth && !s.submission && !isLoopback(s.ip),
    };
  }

  private serviceEvent(at: number, host: string, program: string, event: EventKindOfService, target: string | null, port: number | null, line: string): void {
    const daemon = program.includes('/') ? program.slice(0, program.indexOf('/')) : program;
    this.out.serviceEvents.push({ at: Math.floor(at), host, daemon, event, target, port, line });
    this.touch(at);
  }

  private login(
    ev: { at: number; host: string },
    protocol: string,
    user: string | null,
    success: boolean,
    method: string | null,
    rip: string | null,
    lip: string | null,
    session: string | null,
    backend: string | null,
  ): void {
    if (session !== null) {
      if (this.loginSessions.has(session) || this.olderLoginSessions.has(session)) return;
      if (this.loginSessions.size >= LOGIN_SESSION_GENERATION) {
        this.olderLoginSessions = this.loginSessions;
        this.loginSessions = new Set();
      }
      this.loginSessions.add(session);
    }
    const proto = protocol.replace(/-login$/, '');
    this.out.logins.push({
      at: Math.floor(ev.at),
      host: ev.host,
      protocol: proto,
      username: user ? user.toLowerCase() : null,
      success,
      method,
      rip,
      lip,
      session,
      backend,
    });
    this.touch(ev.at);
  }

  /** The open record of (host, qid), created at its first line. */
  private message(host: string, qid: string, at: number, line: string, program: string): OpenMessage {
    const key = `${host}|${qid}`;
    let m = this.messages.get(key);
    if (!m) {
      const id = this.nextMessageId++;
      m = {
        id,
        host,
        qid,
        origin: 'unknown',
        rootId: id,
        linked: false,
        lastAt: at,
        pendingSentAt: null,
        sent: 0,
        deferred: 0,
        bounced: 0,
        blocked: false,
        rejected: false,
        filtered: false,
        queued: false,
      };
      this.messages.set(key, m);
      this.roots.set(id, { origin: 'unknown', delivered: false, lastAt: at, open: 1 });
      this.out.messageInserts.push({ id, host, qid, firstAt: Math.floor(at), origin: 'unknown' });
      this.update(id, { root_id: id });
    }
    this.line(m, at, host, program, line);
    return m;
  }

  private line(m: OpenMessage, at: number, host: string, program: string, text: string): void {
    m.lastAt = at;
    const r = this.roots.get(m.rootId);
    if (r) r.lastAt = at;
    this.out.messageLines.push({ messageRow: m.id, at, host, program, text });
  }

  private update(id: number, set: MessageUpdate): void {
    // One update per message and batch: applying the later values over the earlier ones is
    // what the store's successive UPDATEs of the same row would do (nothing reads between them).
    const pending = this.pendingUpdates.get(id);
    if (pending) Object.assign(pending, set);
    else {
      // `set` is always a fresh literal of the caller: it becomes the batch's update.
      this.pendingUpdates.set(id, set);
      this.out.messageUpdates.push({ id, set });
    }
    for (const k of ['received_at', 'submitted_at', 'delivered_at'] as const) {
      const v = set[k];
      if (v !== undefined) this.touch(v);
    }
  }

  private setRootOrigin(m: OpenMessage, origin: MessageOrigin): void {
    if (m.rootId !== m.id) return;
    const r = this.roots.get(m.id);
    if (r) r.origin = origin;
  }

  /** Links a re-injected copy to the message it came from (same host). */
  private link(host: string, parentQid: string, childQid: string): void {
    const parent = this.messages.get(`${host}|${parentQid}`);
    const waiting = this.awaitingLink.get(`${host}|${childQid}`);
    const child = this.messages.get(`${host}|${childQid}`) ?? waiting;
    if (!parent || !child || child.linked || child.id === parent.id) return;
    if (waiting) this.awaitingLink.delete(`${host}|${childQid}`);
    child.linked = true;
    const oldRoot = child.rootId;
    child.rootId = parent.rootId;
    this.release(oldRoot);
    const root = this.roots.get(parent.rootId);
    if (root) root.open++;
    this.update(child.id, { parent_id: parent.id, root_id: parent.rootId });
    if (child.pendingSentAt !== null) {
      this.markDelivered(child, child.pendingSentAt);
      child.pendingSentAt = null;
    }
    if (waiting) this.release(child.rootId);
  }

  private release(rootId: number): void {
    const r = this.roots.get(rootId);
    if (r && --r.open <= 0) this.roots.delete(rootId);
  }

  private markDelivered(m: OpenMessage, at: number): void {
    const root = this.roots.get(m.rootId);
    if (!root || root.origin !== 'inbound' || root.delivered) return;
    root.delivered = true;
    this.update(m.rootId, { delivered_at: Math.floor(at), status: 'delivered' });
  }

  private hopOf(ev: EventOf<'postfix.delivery'>): Hop {
    // Any loopback relay is a content filter hop (Amavis on :10024, or another port),
    // never a final delivery.
    if (ev.relayIp && isLoopback(ev.relayIp)) return 'filter';
    if (ev.agent === 'lmtp' || ev.agent === 'local' || ev.agent === 'virtual' || ev.agent === 'pipe') {
      return ev.relay === 'none' ? 'none' : 'mailbox';
    }
    if (ev.agent === 'smtp') {
      if (ev.relay === 'none') return 'none';
      if (ev.relayHost && this.mailboxHosts.has(ev.relayHost)) return 'mailbox';
      return 'remote';
    }
    return 'none';
  }

  private onDelivery(ev: EventOf<'postfix.delivery'>, line: string): void {
    const m = this.message(ev.host, ev.qid, ev.at, line, ev.program);
    const hop = this.hopOf(ev);
    this.out.deliveries.push({
      at: Math.floor(ev.at),
      host: ev.host,
      messageRow: m.id,
      agent: ev.agent,
      recipient: ev.to,
      origRecipient: ev.origTo,
      relay: ev.relay,
      status: ev.status,
      dsn: ev.dsn,
      delayMs: ev.delay === null ? null : Math.round(ev.delay * 1000),
      reply: ev.reply,
      hop,
    });
    this.touch(ev.at);
    if (ev.status === 'deferred') m.deferred++;
    else if (ev.status === 'bounced') m.bounced++;
    if (hop === 'filter') {
      m.filtered = true;
      if (ev.queuedAs) this.link(ev.host, ev.qid, ev.queuedAs);
      return;
    }
    if (ev.status !== 'sent' || (hop !== 'mailbox' && hop !== 'remote')) return;
    m.sent++;
    if (ev.agent === 'lmtp') this.matchLmtp(m, ev.reply, ev.at);
    if (m.origin === 'reinjected' && !m.linked) {
      m.pendingSentAt ??= ev.at;
      return;
    }
    this.markDelivered(m, ev.at);
  }

  private matchLmtp(m: OpenMessage, reply: string, at: number): void {
    const saved = this.lmtp.onDelivered(reply, m.id, at);
    if (saved) this.out.messageLines.push({ messageRow: m.id, ...saved });
  }

  private onReject(ev: EventOf<'postfix.reject'>, line: string): void {
    const service = ev.program.slice(ev.program.lastIndexOf('/') + 1);
    let messageRow: number | null = null;
    if (ev.qid) {
      const m = this.message(ev.host, ev.qid, ev.at, line, ev.program);
      messageRow = m.id;
      if (ev.action === 'reject' || ev.action === 'milter-reject') {
        // A recipient reject leaves the message alive for other recipients; an
        // end-of-message or content reject kills it.
        if (ev.stage !== 'RCPT') m.rejected = true;
      }
    }
    this.out.rejects.push({
      at: Math.floor(ev.at),
      host: ev.host,
      service,
      action: ev.action,
      qid: ev.qid,
      messageRow,
      stage: ev.stage,
      clientIp: ev.clientIp,
      clientHost: ev.clientHost,
      helo: ev.helo,
      sender: ev.from,
      recipient: ev.to,
      code: ev.code,
      enhanced: ev.enhanced,
      reasonClass: ev.reasonClass,
      reply: ev.reply,
      greylist: ev.greylist,
    });
    this.touch(ev.at);
  }

  private category(ev: EventOf<'amavis.verdict'>): VerdictCategory {
    const v = ev.verdict.toUpperCase();
    if (ev.originating) return ev.action === 'Blocked' && v === 'SPAM' ? 'outbound_spam_blocked' : 'other';
    if (ev.action === 'Blocked') {
      if (v === 'SPAM') return 'spam_blocked';
      if (v === 'INFECTED' || v === 'BANNED') return 'virus_blocked';
      return 'other';
    }
    if (ev.action === 'Passed') {
      if (v === 'SPAMMY' || v === 'SPAM') return 'spam_tagged';
      if (v === 'CLEAN') return ev.hits !== null && ev.hits >= this.opts.spamTagLevel ? 'spam_tagged' : 'clean';
    }
    return 'other';
  }

  private onVerdict(ev: EventOf<'amavis.verdict'>, line: string): void {
    let messageRow: number | null = null;
    if (ev.qid) {
      const m = this.message(ev.host, ev.qid, ev.at, line, ev.program);
      messageRow = m.id;
      if (ev.action === 'Blocked') m.blocked = true;
      this.update(m.id, { verdict: ev.verdict, spam_score: ev.hits });
      for (const q of ev.queuedAs) this.link(ev.host, ev.qid, q);
    }
    this.out.verdicts.push({
      at: Math.floor(ev.at),
      host: ev.host,
      messageRow,
      qid: ev.qid,
      action: ev.action,
      verdict: ev.verdict,
      detail: ev.detail,
      originating: ev.originating,
      hits: ev.hits,
      sizeBytes: ev.size,
      messageId: ev.messageId,
      clientIp: ev.clientIp,
      sender: ev.from,
      recipients: ev.to.join(','),
      queuedAs: ev.queuedAs.length ? ev.queuedAs.join(',') : null,
      category: this.category(ev),
    });
    this.touch(ev.at);
  }
}

type EventKindOfService = 'start' | 'stop' | 'reload' | 'fatal' | 'killed' | 'refused' | 'unreachable';

/** `10.1.0.11:143`, `[2001:db8::1]:143` or a bare host, as the proxy names its backend. */
function splitBackend(backend: string | null): { host: string | null; port: number | null } {
  if (!backend) return { host: null, port: null };
  const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(backend);
  return m && (backend.startsWith('[') || !m[1]!.includes(':')) ? { host: m[1]!, port: Number(m[2]) } : { host: backend, port: null };
}
