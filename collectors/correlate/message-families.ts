// Queue messages and their families: a record per (host, queue id) from its first line to
// qmgr's `removed`, copies re-injected by the content filter linked to the message they came
// from, and the family's root delivered once (the `delivered` figure, METRICS.md).
import type { EventOf } from '../parse/events';
import { type BatchOutput, isLoopback } from './batch-output';
import type { LmtpMatcher } from './lmtp-matcher';
import type { Hop, MessageOrigin, MessageUpdate } from './records';

export interface OpenMessage {
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

export interface RootInfo {
  origin: MessageOrigin;
  delivered: boolean;
  lastAt: number;
  /** open queue-id records that belong to this root; the root is forgotten at 0 */
  open: number;
}

/** The families' part of the correlator's saved state. */
export interface MessageFamiliesState {
  nextMessageId: number;
  messages: Array<[string, OpenMessage]>;
  roots: Array<[number, RootInfo]>;
  awaitingLink: Array<[string, OpenMessage]>;
}

const AWAIT_LINK_TTL = 3600; // the filter answers within its timeout (minutes)

export class MessageFamilies {
  nextMessageId: number;
  private messages: Map<string, OpenMessage>;
  private roots: Map<number, RootInfo>;
  /** re-injected copies removed before the line linking them to their original arrived */
  private awaitingLink: Map<string, OpenMessage>;

  constructor(
    private readonly b: BatchOutput,
    private readonly lmtp: LmtpMatcher,
    private readonly mailboxHosts: Set<string>,
    private readonly ttl: number,
    firstMessageId: number,
    state?: MessageFamiliesState | null,
  ) {
    this.nextMessageId = state ? Math.max(state.nextMessageId, firstMessageId) : firstMessageId;
    this.messages = new Map(state?.messages ?? []);
    this.roots = new Map(state?.roots ?? []);
    this.awaitingLink = new Map(state?.awaitingLink ?? []);
  }

  snapshot(): MessageFamiliesState {
    return { nextMessageId: this.nextMessageId, messages: [...this.messages], roots: [...this.roots], awaitingLink: [...this.awaitingLink] };
  }

  sweep(now: number): void {
    for (const [k, m] of this.messages) {
      if (now - m.lastAt > this.ttl) {
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
  }

  sweepRoots(now: number): void {
    for (const [k, r] of this.roots) {
      if (now - r.lastAt > this.ttl) this.roots.delete(k);
    }
  }

  client(ev: EventOf<'smtpd.client'>, line: string): void {
    const m = this.message(ev.host, ev.qid, ev.at, line, ev.program);
    const origin: MessageOrigin = isLoopback(ev.clientIp) ? 'reinjected' : ev.saslUsername ? 'submission' : 'inbound';
    m.origin = origin;
    this.setRootOrigin(m, origin);
    this.b.update(m.id, {
      origin,
      client_ip: ev.clientIp,
      client_host: ev.clientHost,
      ...(ev.saslUsername ? { sasl_username: ev.saslUsername } : {}),
    });
  }

  pickup(ev: EventOf<'pickup.from'>, line: string): void {
    const m = this.message(ev.host, ev.qid, ev.at, line, ev.program);
    m.origin = 'local';
    this.setRootOrigin(m, 'local');
    this.b.update(m.id, { origin: 'local', sender: ev.from });
  }

  messageId(ev: EventOf<'cleanup.message-id'>, line: string): void {
    const m = this.message(ev.host, ev.qid, ev.at, line, ev.program);
    if (!ev.resent) this.b.update(m.id, { message_id: ev.messageId });
  }

  queued(ev: EventOf<'qmgr.from'>, line: string): void {
    const m = this.message(ev.host, ev.qid, ev.at, line, ev.program);
    const set: MessageUpdate = { sender: ev.from, size_bytes: ev.size, nrcpt: ev.nrcpt };
    // A queue id's first qmgr from= is the moment the message is queued; qmgr logs it
    // again after a deferral, which must not count twice.
    if (!m.queued) {
      m.queued = true;
      if (m.origin === 'inbound') set.received_at = Math.floor(ev.at);
      else if (m.origin === 'submission') set.submitted_at = Math.floor(ev.at);
    }
    this.b.update(m.id, set);
  }

  expired(ev: EventOf<'qmgr.expired'>, line: string): void {
    const m = this.message(ev.host, ev.qid, ev.at, line, ev.program);
    this.b.update(m.id, { status: 'expired' });
  }

  removed(ev: EventOf<'qmgr.removed'>, line: string): void {
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
    this.b.update(m.id, { removed_at: Math.floor(ev.at), status });
    this.messages.delete(key);
    // A copy can be delivered and removed before the filter hop of its original is
    // logged; keep it (briefly) so that line can still link it.
    if (m.origin === 'reinjected' && !m.linked) this.awaitingLink.set(key, m);
    else this.release(m.rootId);
  }

  bounceNotification(ev: EventOf<'bounce.notification'>, line: string): void {
    // The line belongs to the trace of both the bounced message and its notification;
    // the notification is locally generated mail, never a new inbound message.
    this.message(ev.host, ev.qid, ev.at, line, ev.program);
    const ndn = this.message(ev.host, ev.ndnQid, ev.at, line, ev.program);
    ndn.origin = 'local';
    this.setRootOrigin(ndn, 'local');
    this.b.update(ndn.id, { origin: 'local' });
  }

  /** A line of an open message (milter-greylist's, with a queue id) joins its trace. */
  traceLine(ev: { at: number; host: string; program: string }, qid: string, line: string): void {
    const m = this.messages.get(`${ev.host}|${qid}`);
    if (m) this.line(m, ev.at, ev.host, ev.program, line);
  }

  /** The open record of (host, qid), created at its first line. */
  message(host: string, qid: string, at: number, line: string, program: string): OpenMessage {
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
      this.b.out.messageInserts.push({ id, host, qid, firstAt: Math.floor(at), origin: 'unknown' });
      this.b.update(id, { root_id: id });
    }
    this.line(m, at, host, program, line);
    return m;
  }

  private line(m: OpenMessage, at: number, host: string, program: string, text: string): void {
    m.lastAt = at;
    const r = this.roots.get(m.rootId);
    if (r) r.lastAt = at;
    this.b.out.messageLines.push({ messageRow: m.id, at, host, program, text });
  }

  private setRootOrigin(m: OpenMessage, origin: MessageOrigin): void {
    if (m.rootId !== m.id) return;
    const r = this.roots.get(m.id);
    if (r) r.origin = origin;
  }

  /** Links a re-injected copy to the message it came from (same host). */
  link(host: string, parentQid: string, childQid: string): void {
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
    this.b.update(child.id, { parent_id: parent.id, root_id: parent.rootId });
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
    this.b.update(m.rootId, { delivered_at: Math.floor(at), status: 'delivered' });
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

  delivery(ev: EventOf<'postfix.delivery'>, line: string): void {
    const m = this.message(ev.host, ev.qid, ev.at, line, ev.program);
    const hop = this.hopOf(ev);
    this.b.out.deliveries.push({
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
    this.b.touch(ev.at);
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
    if (saved) this.b.out.messageLines.push({ messageRow: m.id, ...saved });
  }
}
