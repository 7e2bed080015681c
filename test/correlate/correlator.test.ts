// Correlation of real lines into rows. Lines come from public projects' logs
// (source named beside each block); where a line had to be adapted to exercise a case the
// corpus lacks, the change is stated.
import { describe, it, expect } from 'vitest';
import { Correlator, type CorrelatorOptions } from '../../collectors/correlate/correlator';
import { parseLine } from '../../collectors/parse/parse-line';
import { yearFromStart } from '../../collectors/parse/year';
import type { Output } from '../../collectors/correlate/records';

const opts: CorrelatorOptions = { spamTagLevel: 5, mailboxHosts: ['mbox1.unipi.it'], postscreenHosts: [], openRecordTtlSeconds: 86_400 };

function run(lines: string[], c = new Correlator(opts)): Output {
  const ctx = { tz: 'Europe/Rome', year: yearFromStart(2015) };
  for (const l of lines) c.push(parseLine(l, ctx), l);
  return c.drain();
}

function updatesOf(out: Output, id: number): Record<string, unknown> {
  return Object.assign({}, ...out.messageUpdates.filter((u) => u.id === id).map((u) => u.set));
}

// fonylew/config-mailgateway maillog @ 221bee53: one message through Amavis (10024 → 10025).
// The re-injected copy 38B0910650A is delivered (line 5) BEFORE the line that links it to
// 97EC7106505 (line 6): the link must still attribute the delivery to the original.
const amavisFlow = [
  'May 27 16:01:36 host postfix/smtpd[795]: 97EC7106505: client=localhost[127.0.0.1]',
  'May 27 16:01:36 host postfix/cleanup[798]: 97EC7106505: message-id=<20150527090136.97EC7106505@host.example.com>',
  'May 27 16:01:36 host postfix/qmgr[686]: 97EC7106505: from=<aaa@xxx.com>, size=320, nrcpt=1 (queue active)',
  'May 27 16:01:50 host postfix/smtpd[803]: 38B0910650A: client=localhost[127.0.0.1]',
  'May 27 16:01:50 host postfix/cleanup[798]: 38B0910650A: message-id=<20150527090136.97EC7106505@host.example.com>',
  'May 27 16:01:50 host postfix/qmgr[686]: 38B0910650A: from=<aaa@xxx.com>, size=936, nrcpt=1 (queue active)',
  'May 27 16:01:51 host postfix/local[804]: 38B0910650A: to=<user3@example.com>, relay=local, delay=1.5, delays=0.47/0.51/0/0.55, dsn=2.0.0, status=sent (delivered to mailbox)',
  'May 27 16:01:51 host postfix/qmgr[686]: 38B0910650A: removed',
  'May 27 16:01:52 host postfix/smtp[799]: 97EC7106505: to=<user3@example.com>, orig_to=<test@example.com>, relay=127.0.0.1[127.0.0.1]:10024, delay=16, delays=0.02/0.01/0.93/15, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as 38B0910650A)',
];

describe('queue-id correlation through the content filter', () => {
  it('joins the re-injected copy to the original even when the link line comes last', () => {
    const out = run(amavisFlow);
    expect(out.messageInserts.map((m) => m.qid)).toEqual(['97EC7106505', '38B0910650A']);
    const orig = out.messageInserts[0]!;
    const copy = out.messageInserts[1]!;
    const u = updatesOf(out, copy.id);
    expect(u).toMatchObject({ parent_id: orig.id, root_id: orig.id, origin: 'reinjected' });
    // The original itself came from localhost here (a local submission into the filter):
    // it is not mail received from outside, so nothing counts as received or delivered.
    const o = updatesOf(out, orig.id);
    expect(o.received_at).toBeUndefined();
    expect(o.delivered_at).toBeUndefined();
    expect(out.deliveries.map((d) => [d.recipient, d.hop, d.status])).toEqual([
      ['user3@example.com', 'mailbox', 'sent'],
      ['user3@example.com', 'filter', 'sent'],
    ]);
    expect(out.messageLines.filter((l) => l.messageRow === copy.id)).toHaveLength(5);
  });

  it('counts an inbound message delivered at the time of its first final delivery (adapted: outside client)', () => {
    // Adapted from the flow above: the first smtpd line names an outside client instead of localhost.
    const lines = [amavisFlow[0]!.replace('localhost[127.0.0.1]', 'mail-ed1-f54.google.com[209.85.208.54]'), ...amavisFlow.slice(1)];
    const out = run(lines);
    const orig = out.messageInserts[0]!;
    const o = updatesOf(out, orig.id);
    expect(o.origin).toBe('inbound');
    expect(o.received_at).toBe(Date.UTC(2015, 4, 27, 14, 1, 36) / 1000);
    // delivered_at = the local delivery line (16:01:51 CEST), not the later filter hop.
    expect(o.delivered_at).toBe(Date.UTC(2015, 4, 27, 14, 1, 51) / 1000);
  });

  it('persists open records: a restart mid-message continues exactly', () => {
    const c1 = new Correlator(opts);
    const lines = [amavisFlow[0]!.replace('localhost[127.0.0.1]', 'mx.example.net[198.51.100.7]'), ...amavisFlow.slice(1)];
    const first = run(lines.slice(0, 4), c1);
    const state = JSON.parse(JSON.stringify(c1.snapshot()));
    const c2 = new Correlator(opts, state, 1);
    const second = run(lines.slice(4), c2);
    const all = [...first.messageUpdates, ...second.messageUpdates];
    const root = first.messageInserts[0]!.id;
    const delivered = all.filter((u) => u.id === root && u.set.delivered_at !== undefined);
    expect(delivered).toHaveLength(1);
    expect(second.messageInserts).toHaveLength(0);
  });
});

describe('postscreen connections', () => {
  // Shapes from the Postfix POSTSCREEN_README and the corpus (kumina/postfix_exporter,
  // whyscream/postfix-grok-patterns); addresses from the documentation ranges.
  const lines = [
    'Mar 10 10:00:00 mx1.unipi.it postfix/postscreen[1001]: CONNECT from [203.0.113.5]:51234 to [131.114.1.1]:25',
    'Mar 10 10:00:00 mx1.unipi.it postfix/postscreen[1001]: CONNECT from [198.51.100.9]:40000 to [131.114.1.1]:25',
    'Mar 10 10:00:01 mx1.unipi.it postfix/postscreen[1001]: PASS OLD [198.51.100.9]:40000',
    'Mar 10 10:00:06 mx1.unipi.it postfix/postscreen[1001]: DNSBL rank 3 for [203.0.113.5]:51234',
    'Mar 10 10:00:06 mx1.unipi.it postfix/postscreen[1001]: DISCONNECT [203.0.113.5]:51234',
    'Mar 10 10:00:07 mx1.unipi.it postfix/postscreen[1001]: CONNECT from [192.0.2.77]:33333 to [131.114.1.1]:25',
  ];
  it('tallies CONNECT and PASS per minute and host, and each outcome on the minute the connection began', () => {
    const c = new Correlator(opts);
    const out = run(lines, c);
    const m = Date.UTC(2015, 2, 10, 9, 0, 0) / 1000; // 10:00 CET
    expect(Object.fromEntries(out.tally)).toEqual({
      [`${m}|mx1.unipi.it|connect`]: 3,
      [`${m}|mx1.unipi.it|pass`]: 1,
      [`${m}|mx1.unipi.it|outcome:pass-old`]: 1,
      [`${m}|mx1.unipi.it|outcome:dnsbl`]: 1,
    });
    expect(out.connections).toHaveLength(0);
    // The open connection is closed later; its outcome lands on the minute it began, and its
    // PASS on the minute of the PASS line.
    const more = run(['Mar 10 10:01:09 mx1.unipi.it postfix/postscreen[1001]: PASS NEW [192.0.2.77]:33333'], c);
    expect(Object.fromEntries(more.tally)).toEqual({
      [`${m + 60}|mx1.unipi.it|pass`]: 1,
      [`${m}|mx1.unipi.it|outcome:pass-new`]: 1,
    });
  });

  it('on a host without postscreen counts smtpd sessions that make no AUTH attempt and are not loopback', () => {
    // digineo/postfix_exporter testdata and the Postfix 3.x disconnect format.
    const out = run([
      'Mar 10 10:00:00 relay1 postfix/smtpd[2001]: connect from unknown[203.0.113.20]',
      'Mar 10 10:00:02 relay1 postfix/smtpd[2001]: disconnect from unknown[203.0.113.20] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4',
      'Mar 10 10:00:03 relay1 postfix/submission/smtpd[2002]: connect from host.example.org[198.51.100.30]',
      'Mar 10 10:00:05 relay1 postfix/submission/smtpd[2002]: disconnect from host.example.org[198.51.100.30] ehlo=2 starttls=1 auth=1 mail=1 rcpt=1 data=1 quit=1 commands=8',
      'Mar 10 10:00:06 relay1 postfix/smtpd[2003]: connect from localhost[127.0.0.1]',
      'Mar 10 10:00:06 relay1 postfix/smtpd[2003]: disconnect from localhost[127.0.0.1] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5',
    ]);
    expect(out.connections.map((r) => [r.clientIp, r.counted, r.authAttempted])).toEqual([
      ['203.0.113.20', true, false],
      ['198.51.100.30', false, true],
      ['127.0.0.1', false, false],
    ]);
  });
  it('counts an smtpd session whose disconnect line never came, when it expires', () => {
    const out = run([
      'Mar 10 10:00:00 relay1 postfix/smtpd[2001]: connect from unknown[203.0.113.20]',
      // two hours later, anything on the same host moves the log clock past the session limit
      'Mar 10 12:00:00 relay1 postfix/smtpd[2002]: connect from unknown[203.0.113.21]',
    ]);
    expect(out.connections.map((r) => [r.clientIp, r.counted])).toEqual([
      ['203.0.113.20', true],
      ['203.0.113.21', true],
    ]);
  });
});

describe('dovecot logins', () => {
  it('one login per session across proxy and backend; failures separately', () => {
    // Proxy line: matejzero/logstash-grok-patterns dovecot.grok examples. The backend line is
    // the Dovecot 2.3 `Login:` format (crowdsec hub dovecot-logs) with the same session id,
    // as a proxy forwards it.
    const out = run([
      'Oct 19 14:14:38 imap1 dovecot: imap-login: proxy(username): started proxying to 2.2.2.2:143: user=<username>, method=PLAIN, rip=2.2.2.2, lip=5.5.5.5, secured, session=<GKEBFAwQMgDBAgFf>',
      'Oct 19 14:14:38 mbox1 dovecot: imap-login: Login: user=<username>, method=PLAIN, rip=2.2.2.2, lip=10.1.0.11, mpid=18, TLS, session=<GKEBFAwQMgDBAgFf>',
      'Sep 8 07:16:27 canyon dovecot[7508]: imap-login: Disconnected (auth failed, 1 attempts in 6 secs): user=<toto@toto.com>, method=PLAIN, rip=1.1.1.1, lip=7.7.7.7, TLS, session=<azdaDADSqqsvf-za>',
    ]);
    // One row per session: the proxy's, which names the backend (the store's UNIQUE index on
    // the session would also keep the first).
    expect(out.logins.filter((l) => l.success)).toEqual([expect.objectContaining({ session: 'GKEBFAwQMgDBAgFf', host: 'imap1', backend: '2.2.2.2:143', rip: '2.2.2.2' })]);
    expect(out.logins.filter((l) => !l.success)).toEqual([expect.objectContaining({ username: 'toto@toto.com', protocol: 'imap', rip: '1.1.1.1' })]);
  });

  it('still recognises a session thousands of logins later, and forgets it only after two generations', () => {
    const c = new Correlator(opts);
    const line = (i: number, host: string) =>
      `Oct 19 14:14:38 ${host} dovecot: imap-login: Login: user=<u${i}>, method=PLAIN, rip=2.2.2.2, lip=10.1.0.11, mpid=18, TLS, session=<s${i}>`;
    const first = run([line(0, 'imap1'), ...Array.from({ length: 5000 }, (_, i) => line(i + 1, 'imap1')), line(0, 'mbox1')], c);
    // s0's backend line, 5,000 logins later, is still known (two generations of 4,096)
    expect(first.logins.filter((l) => l.session === 's0')).toHaveLength(1);
    expect(first.logins).toHaveLength(5001);
    // after 9,000 more sessions s0 has left both generations: its line is emitted again, and
    // the store's unique index drops it
    const later = run([...Array.from({ length: 9000 }, (_, i) => line(i + 6000, 'imap1')), line(0, 'mbox1')], c);
    expect(later.logins.filter((l) => l.session === 's0')).toHaveLength(1);
  });
});

describe('trace reaches the mailbox server', () => {
  it('attaches the Dovecot LMTP "saved mail" line to the message by the LMTP session id in the reply', () => {
    // Shapes: whyscream/postfix-grok-patterns (Postfix lmtp to Dovecot, `... <id> Saved`) and
    // matejzero/logstash-grok-patterns (Dovecot `lmtp(user): <id>: msgid=...: saved mail to INBOX`);
    // the two real lines carry different ids, so the session id here is one of them in both.
    const saved = 'Oct 19 14:14:38 mbox1 dovecot: lmtp(admin@example.com): qYyyBMsl9FRuZQAAA15QOA: msgid=<E1YKcnl-0001q3-UM@example.com>: saved mail to INBOX';
    const delivery =
      'Oct 19 14:14:38 mx1 postfix/lmtp[3312]: AD6E41CDC05C: to=<admin@example.com>, relay=sub1.example.com[private/dovecot-lmtp], delay=0.15, delays=0.04/0/0.02/0.08, dsn=2.0.0, status=sent (250 2.0.0 <admin@example.com> qYyyBMsl9FRuZQAAA15QOA Saved)';
    for (const order of [[saved, delivery], [delivery, saved]]) {
      const out = run(order);
      const row = out.messageInserts[0]!.id;
      expect(out.messageLines.filter((l) => l.messageRow === row).map((l) => l.host).sort()).toEqual(['mbox1', 'mx1']);
    }
  });
});
