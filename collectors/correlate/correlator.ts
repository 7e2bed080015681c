// Turns parsed events into rows: postscreen connections, queue-id lives joined through
// the content filter, deliveries, verdicts, logins. Pure: no database, no clock — "now"
// is the newest log time seen. Its open state serialises to JSON and is persisted with
// the checkpoint, so a restart continues exactly where the last commit stopped.
// This file dispatches the events to the parts that follow each lifecycle (smtpd sessions,
// message families, Amavis verdicts, Dovecot logins, postscreen connections), sweeps them and
// saves their state.
import type { MailEvent, EventOf } from '../parse/events';
import type { ParseContext } from '../parse/index';
import { onVerdict } from './amavis-verdicts';
import { BatchOutput } from './batch-output';
import { CountryTally, type CountryResolver } from './country-tally';
import type { GeoipConfig } from '../../core/config/geoip-schema';
import { DovecotLogins } from './dovecot-logins';
import { CORRELATOR_STATE_VERSION, type CorrelatorState } from './correlator-state';
import { markActivity } from './host-activity';
import { connectFailureIn } from '../parse/postfix';
import { LmtpMatcher } from './lmtp-matcher';
import { MessageFamilies } from './message-families';
import { PostscreenLane } from './postscreen-lane';
import { PostscreenTracker, type PostscreenState } from './postscreen-tracker';
import type { Output } from './records';
import { SmtpdSessions } from './smtpd-sessions';

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

export class Correlator {
  private now = 0;
  private readonly b = new BatchOutput();
  private readonly postscreen: PostscreenTracker;
  private readonly lane: PostscreenLane;
  private readonly lmtp: LmtpMatcher;
  private readonly sessions: SmtpdSessions;
  private readonly families: MessageFamilies;
  private readonly logins: DovecotLogins;
  private lastSweep = 0;

  constructor(
    private readonly opts: CorrelatorOptions,
    state?: CorrelatorState | null,
    firstMessageId = 1,
    firstConnectionId = 1,
  ) {
    this.postscreen = new PostscreenTracker(opts.postscreenHosts, state);
    this.lane = new PostscreenLane(this.postscreen);
    this.lmtp = new LmtpMatcher(state);
    this.families = new MessageFamilies(
      this.b,
      this.lmtp,
      new Set(opts.mailboxHosts),
      opts.openRecordTtlSeconds,
      firstMessageId,
      state,
    );
    this.sessions = new SmtpdSessions(this.b, state ? Math.max(state.nextConnectionId, firstConnectionId) : firstConnectionId, state?.sessions);
    this.logins = new DovecotLogins(this.b);
    if (state) this.now = state.now;
  }

  /** Open records and counters, as JSON-able data (persisted with the checkpoint). */
  snapshot(): CorrelatorState {
    const f = this.families.snapshot();
    return {
      version: CORRELATOR_STATE_VERSION,
      nextMessageId: f.nextMessageId,
      nextConnectionId: this.sessions.nextConnectionId,
      now: this.now,
      ...this.postscreen.snapshot(),
      sessions: this.sessions.snapshot(),
      messages: f.messages,
      roots: f.roots,
      awaitingLink: f.awaitingLink,
      ...this.lmtp.snapshot(),
    };
  }

  /** Tallies postscreen connections and outcomes per client country too (see country-tally.ts). */
  countCountries(resolver: CountryResolver): void {
    this.postscreen.countries = new CountryTally(resolver);
  }

  /** The open postscreen connections and known postscreen hosts, and the log clock. */
  postscreenSnapshot(): PostscreenState & { now: number } {
    return { ...this.postscreen.snapshot(), now: this.now };
  }

  /** Hosts another correlator saw running postscreen: their smtpd sessions are not connections. */
  learnPostscreenHosts(hosts: Iterable<string>): void {
    for (const h of hosts) this.postscreen.hosts.add(h);
  }

  /** Rows produced since the last call. */
  drain(): Output {
    this.sessions.writeOpen();
    this.drainTallies();
    return this.b.take();
  }

  /** Feed one event; `line` is the raw text, kept for message traces. */
  push(ev: MailEvent, line: string): void {
    const out = this.b.out;
    if (ev.kind === 'unparsed') {
      if (ev.host) markActivity(out.activity, ev.host, ev.at);
      out.unparsedLines++;
      const program = ev.program || '(none)';
      const u = out.unparsed.get(program);
      if (u) {
        u.n++;
        u.lastAt = ev.at;
      } else out.unparsed.set(program, { n: 1, sample: line.slice(0, 500), lastAt: ev.at });
      return;
    }
    if (ev.kind === 'other') {
      out.otherLines++;
      const program = ev.program || '(none)';
      const o = out.other.get(program);
      if (o) {
        o.n++;
        o.lastAt = ev.at;
      } else out.other.set(program, { n: 1, lastAt: ev.at });
      return;
    }
    out.recognised++;
    if (ev.at > this.now) this.now = ev.at;
    // The lines the postscreen lane can take count through their tallies (the store marks the
    // minutes of those): marking them here too would make the two paths' outputs differ.
    if (!this.laneKind(ev)) markActivity(out.activity, ev.host, ev.at);
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
    this.b.out.recognised++;
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
    this.sessions.sweep(now);
    this.families.sweep(now);
    this.lmtp.sweep(now);
    this.families.sweepRoots(now);
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
      case 'smtpd.connect':
        if (this.postscreen.hosts.has(ev.host)) return;
        this.sessions.connect(ev);
        return;
      case 'smtpd.sasl-failed': {
        this.sessions.markAuth(ev);
        this.b.out.authFailures.push({
          at: Math.floor(ev.at),
          host: ev.host,
          clientIp: ev.clientIp,
          clientHost: ev.clientHost,
          mechanism: ev.mechanism,
          username: ev.saslUsername,
          reason: ev.reason,
        });
        this.b.touch(ev.at);
        return;
      }
      case 'smtpd.disconnect':
        // Behind postscreen an smtpd session is no connection of its own (a session opened before
        // the host was known to run postscreen is written when it expires).
        if (this.postscreen.hosts.has(ev.host)) return;
        this.sessions.disconnect(ev);
        return;
      case 'smtpd.client':
        this.families.client(ev, line);
        if (ev.saslUsername) this.sessions.markAuth(ev);
        return;
      case 'pickup.from':
        return this.families.pickup(ev, line);
      case 'cleanup.message-id':
        return this.families.messageId(ev, line);
      case 'qmgr.from':
        return this.families.queued(ev, line);
      case 'qmgr.expired':
        return this.families.expired(ev, line);
      case 'qmgr.removed':
        return this.families.removed(ev, line);
      case 'postfix.delivery': {
        // One destination address only (LMTP to a mailbox server, the filter port): Postfix
        // logs the refused connect in the deferral alone, with no line of its own.
        const cf = ev.status === 'deferred' ? connectFailureIn(ev.reply) : null;
        if (cf) this.serviceEvent(ev.at, ev.host, ev.program, cf.refused ? 'refused' : 'unreachable', cf.destHost, cf.destPort, line);
        return this.families.delivery(ev, line);
      }
      case 'postfix.connect-failed':
        this.serviceEvent(ev.at, ev.host, ev.program, ev.refused ? 'refused' : 'unreachable', ev.destHost, ev.destPort, line);
        return;
      case 'bounce.notification':
        return this.families.bounceNotification(ev, line);
      case 'postfix.master':
        this.serviceEvent(ev.at, ev.host, ev.program, ev.action, null, null, line);
        return;
      case 'amavis.verdict':
        return onVerdict(this.b, this.families, this.opts.spamTagLevel, ev, line);
      case 'amavis.lifecycle':
        this.serviceEvent(ev.at, ev.host, 'amavis', ev.action, null, null, line);
        return;
      case 'greylist.delayed':
      case 'greylist.autowhitelisted':
        if (ev.qid) this.families.traceLine(ev, ev.qid, line);
        return;
      case 'dovecot.login':
        this.logins.login(ev, ev.protocol, ev.user, true, ev.method, ev.rip, ev.lip, ev.session, null);
        return;
      case 'dovecot.proxy-started':
        this.logins.login(ev, ev.protocol, ev.user, true, null, ev.rip, ev.lip, ev.session, ev.backend);
        return;
      case 'dovecot.auth-failed':
        this.logins.login(ev, ev.protocol, ev.user, false, ev.method, ev.rip, ev.lip, ev.session, null);
        return;
      case 'dovecot.proxy-failed':
        if (ev.unreachable) {
          const b = splitBackend(ev.backend);
          this.serviceEvent(ev.at, ev.host, 'dovecot', 'unreachable', b.host, b.port, line);
        } else {
          this.logins.login(ev, ev.protocol, ev.user, false, null, null, null, ev.session, ev.backend);
        }
        return;
      case 'dovecot.lmtp-saved': {
        if (!ev.session) return;
        const pending = { at: ev.at, host: ev.host, program: ev.program, text: line };
        const messageRow = this.lmtp.onSaved(ev.session, pending);
        if (messageRow !== null) this.b.out.messageLines.push({ messageRow, ...pending });
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
      this.b.touch(minute);
      for (const [host, metrics] of hosts) for (const [metric, n] of metrics) this.b.out.tally.set(`${minute}|${host}|${metric}`, n);
    }
    this.postscreen.drainCountries(this.b.out.geo, (hour) => this.b.touch(hour));
  }

  private serviceEvent(at: number, host: string, program: string, event: EventKindOfService, target: string | null, port: number | null, line: string): void {
    const daemon = program.includes('/') ? program.slice(0, program.indexOf('/')) : program;
    this.b.out.serviceEvents.push({ at: Math.floor(at), host, daemon, event, target, port, line });
    this.b.touch(at);
  }

  private onReject(ev: EventOf<'postfix.reject'>, line: string): void {
    const service = ev.program.slice(ev.program.lastIndexOf('/') + 1);
    let messageRow: number | null = null;
    if (ev.qid) {
      const m = this.families.message(ev.host, ev.qid, ev.at, line, ev.program);
      messageRow = m.id;
      if (ev.action === 'reject' || ev.action === 'milter-reject') {
        // A recipient reject leaves the message alive for other recipients; an
        // end-of-message or content reject kills it.
        if (ev.stage !== 'RCPT') m.rejected = true;
      }
    }
    this.b.out.rejects.push({
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
    this.b.touch(ev.at);
  }
}

type EventKindOfService = 'start' | 'stop' | 'reload' | 'fatal' | 'killed' | 'refused' | 'unreachable';

/** `10.1.0.11:143`, `[2001:db8::1]:143` or a bare host, as the proxy names its backend. */
function splitBackend(backend: string | null): { host: string | null; port: number | null } {
  if (!backend) return { host: null, port: null };
  const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(backend);
  return m && (backend.startsWith('[') || !m[1]!.includes(':')) ? { host: m[1]!, port: Number(m[2]) } : { host: backend, port: null };
}
