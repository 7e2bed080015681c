// Amavis verdicts: a row each with its figure category (clean, spam_tagged, spam_blocked, ...,
// METRICS.md), and the queue ids it names linked into their message's family.
import type { EventOf } from '../parse/events';
import type { BatchOutput } from './batch-output';
import type { MessageFamilies } from './message-families';
import type { VerdictCategory } from './records';

export function verdictCategory(ev: EventOf<'amavis.verdict'>, spamTagLevel: number): VerdictCategory {
  const v = ev.verdict.toUpperCase();
  if (ev.originating) return ev.action === 'Blocked' && v === 'SPAM' ? 'outbound_spam_blocked' : 'other';
  if (ev.action === 'Blocked') {
    if (v === 'SPAM') return 'spam_blocked';
    if (v === 'INFECTED' || v === 'BANNED') return 'virus_blocked';
    return 'other';
  }
  if (ev.action === 'Passed') {
    if (v === 'SPAMMY' || v === 'SPAM') return 'spam_tagged';
    if (v === 'CLEAN') return ev.hits !== null && ev.hits >= spamTagLevel ? 'spam_tagged' : 'clean';
  }
  return 'other';
}

export function onVerdict(b: BatchOutput, families: MessageFamilies, spamTagLevel: number, ev: EventOf<'amavis.verdict'>, line: string): void {
  let messageRow: number | null = null;
  if (ev.qid) {
    const m = families.message(ev.host, ev.qid, ev.at, line, ev.program);
    messageRow = m.id;
    if (ev.action === 'Blocked') m.blocked = true;
    b.update(m.id, { verdict: ev.verdict, spam_score: ev.hits });
    for (const q of ev.queuedAs) families.link(ev.host, ev.qid, q);
  }
  b.out.verdicts.push({
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
    category: verdictCategory(ev, spamTagLevel),
  });
  b.touch(ev.at);
}
