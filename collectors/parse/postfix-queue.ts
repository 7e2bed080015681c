// Lines after a queue id: cleanup's message-id, pickup, qmgr's from= and removed, the delivery
// agents' to= status lines, bounce notifications, and cleanup's header/body checks.
import type { DeliveryStatus, MailEvent } from './events';
import { num, parseHostPort, unangle, kv } from './patterns';
import { chooseCleanupTrailer } from './trailer-choice';
import { type Base, noise } from './postfix-common';
import { RE_CHECK, RE_CHECK_CLIENT, reject, REJECT_ACTIONS, splitTrailer, trailerAt } from './postfix-reject';
import { RE_CLIENT } from './postfix-smtpd';

// `message-id=<1404025803.53afbbcb667b9@swift.generated>`, `resent-message-id=<..>`, `message-id=<>`
const RE_MESSAGE_ID = /^(resent-)?message-id=\s?([\s\S]*)$/;

// `uid=1000 from=<root>`
const RE_PICKUP = /^uid=(\d+) from=<([^>]*)>/;

// `sender=<root>, uid=0` is not a pickup shape; pickup always writes uid first
// `from=<no-reply@grooveshark.com>, size=26493, nrcpt=1 (queue active)`
const RE_QMGR_FROM = /^from=<([^>]*)>, size=(\d+), nrcpt=(\d+)/;

// `from=<x@y>, status=expired, returned to sender`
const RE_QMGR_STATUS = /^from=<([^>]*)>, status=([a-z]+)/;

// `sender non-delivery notification: ADD2F8052`, `sender delay notification: 0A87A1A08`, `postmaster non-delivery notification: 47335405A44`
const RE_BOUNCE = /^(?:sender|postmaster) (non-delivery|delay|delivery status|success) notification: ([0-9A-Za-z]+)$/;

// `to=<hello@example.test>, relay=127.0.0.1[127.0.0.1]:10024, delay=2.5, delays=0.06/0/1.6/0.82, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as E8339132AB)`
// `to=proxy@example.localdomain, orig_to=sample.orig.to, relay=local, delay=0.05, delays=0.04/0.02/0/0, dsn=2.0.0, status=sent (delivered to mailbox)` (addresses anonymised without <>)
const RE_DELIVERY =
  /^to=<?([^>,]*)>?, (?:orig_to=<?([^>,]*)>?, )?relay=([^,]+), ((?:[a-z_]+=[^,\s]*, )*?)status=([a-z-]+)(?: ([\s\S]*))?$/;

// `250 2.0.0 Ok: queued as E8339132AB`, `250 Ok: queued as 4XyZ1234abcD` , `queued as 06F1A2B3C4`
const RE_QUEUED_AS = /queued as ([0-9A-Za-z]+)/;

const STATUSES = new Set<DeliveryStatus>(['sent', 'deferred', 'bounced', 'expired', 'undeliverable', 'deliverable']);

// With a queue id (after `QID: `): `host mx.example.com[192.0.2.1] said: 450 ... (in reply to RCPT TO command)`,
// `lost connection with mx.example.com[..] while sending RCPT TO`, `conversation with .. timed out while ..`, `enabling PIX workarounds ..`,
// `info: header Subject: ..`, `prepend: header ..`, `warning: ..`, `skipped, still being delivered`, `held by ..`, `redirect: ..`
const RE_QID_NOISE =
  /^(?:host \S+ (?:said|refused to talk to me)|lost connection with|conversation with|enabling PIX|Cannot start TLS|TLS is required|Used TLS for|SASL authentication failed; |(?:warning|info|error|fatal):|skipped, still being delivered|held|placed on hold|released from hold|requeued|expired|sender delivery status notification|recipient limit \d+)/;

export function withQid(b: Base, qid: string, rest: string, service: string): MailEvent | null {
  const c0 = rest.charCodeAt(0);
  let m: RegExpExecArray | null;
  if (c0 === 116 /* t */ && rest.startsWith('to=')) {
    m = RE_DELIVERY.exec(rest);
    if (m) {
      // `status=undeliverable-but-not-cached` (address verification) counts as undeliverable
      const status = (m[5]!.startsWith('undeliverable') ? 'undeliverable' : m[5]!) as DeliveryStatus;
      if (!STATUSES.has(status)) return null;
      const fields = m[4]!;
      let reply = m[6] ?? '';
      if (reply.startsWith('(') && reply.endsWith(')')) reply = reply.slice(1, -1);
      const relay = m[3]!;
      const hp = parseHostPort(relay);
      const q = RE_QUEUED_AS.exec(reply);
      return {
        at: b.at, host: b.host, program: b.program, pid: b.pid,
        kind: 'postfix.delivery',
        agent: service,
        qid,
        to: m[1]!,
        origTo: m[2] ?? null,
        relay,
        relayHost: hp ? hp.host : null,
        relayIp: hp ? hp.ip : null,
        relayPort: hp ? hp.port : null,
        delay: num(kv(fields, 'delay')),
        delays: kv(fields, 'delays'),
        dsn: kv(fields, 'dsn'),
        status,
        reply,
        queuedAs: q ? q[1]! : null,
      };
    }
  }
  if (c0 === 102 /* f */) {
    m = RE_QMGR_FROM.exec(rest);
    if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'qmgr.from', qid, from: m[1]!, size: Number(m[2]), nrcpt: Number(m[3]) };
    m = RE_QMGR_STATUS.exec(rest);
    if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'qmgr.expired', qid, from: m[1]!, status: m[2]! };
  }
  if (rest === 'removed') return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'qmgr.removed', qid };
  m = RE_CLIENT.exec(rest);
  if (m) {
    const extra = m[3] ?? '';
    return {
      at: b.at, host: b.host, program: b.program, pid: b.pid,
      kind: 'smtpd.client',
      qid,
      clientHost: m[1]!,
      clientIp: m[2]!,
      saslMethod: extra ? kv(extra, 'sasl_method') : null,
      saslUsername: extra ? kv(extra, 'sasl_username') : null,
    };
  }
  m = RE_MESSAGE_ID.exec(rest);
  if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'cleanup.message-id', qid, messageId: unangle(m[2]!.trim()), resent: m[1] !== undefined };
  m = RE_PICKUP.exec(rest);
  if (m) return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'pickup.from', qid, uid: Number(m[1]), from: m[2]! };
  m = RE_BOUNCE.exec(rest);
  if (m) {
    const t = m[1] === 'non-delivery' ? 'non-delivery' : m[1] === 'delay' ? 'delay' : 'success';
    return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'bounce.notification', qid, ndnQid: m[2]!, type: t };
  }
  m = RE_CHECK.exec(rest);
  if (m) {
    const action = REJECT_ACTIONS[m[1]!] ?? (m[1]!.endsWith('redirect') ? 'redirect' : undefined);
    if (!action) return noise(b); // info:, prepend:, replace: header ...
    const body = m[3]!;
    const t = chooseCleanupTrailer(body, (i) => trailerAt(body, i)) ?? splitTrailer(body);
    const head = t.reply;
    const cm = RE_CHECK_CLIENT.exec(head);
    const reply = t.after ?? head;
    return reject(b, action, qid, m[2]!, cm ? (cm[1] ?? 'local') : null, cm ? (cm[2] ?? null) : null, reply, t.from, t.to, t.helo);
  }
  if (RE_QID_NOISE.test(rest)) return noise(b);
  return null;
}
