// Rules that hold for the generator's lines but not for every real line (issue 12, point 5).
// One line per case. Where the corpus has no such line, the line follows the daemon's format
// string (named in the case); addresses are documentation ranges.
import { describe, it, expect } from 'vitest';
import { parseLine } from '../../collectors/parse/parse-line';
import { yearFromStart } from '../../collectors/parse/year';
import { LineRouting, mayBePostscreenVerdict } from '../../collectors/line-routing';

const ctx = () => ({ tz: 'Europe/Rome', year: yearFromStart(2024) });

describe('bug: a Solaris syslog message id before the message made the line unparsed', () => {
  // Solaris syslogd (msgid logging on, its default) writes `[ID <msgid> <facility>.<level>] `
  // after the tag; the message that follows is Postfix's own (smtpd.c: "connect from %s",
  // postscreen.c: "CONNECT from [%s]:%s to [%s]:%s", cleanup_message.c: "%s: message-id=%s").
  const cases: Array<[string, Record<string, unknown>]> = [
    ['Jan 10 10:00:00 mx1 postfix/smtpd[4193]: [ID 197553 mail.info] connect from mail-2a.example.org[192.0.2.1]', { kind: 'smtpd.connect', clientIp: '192.0.2.1', clientHost: 'mail-2a.example.org' }],
    ['Jan 10 10:00:00 mx1 postfix/postscreen[4190]: [ID 197553 mail.info] CONNECT from [192.0.2.1]:52314 to [192.0.2.25]:25', { kind: 'postscreen.connect', clientIp: '192.0.2.1', clientPort: 52314 }],
    ['Jan 10 10:00:00 mx1 postfix/qmgr[4188]: [ID 197553 mail.info] 4A1B2C3D4E: from=<a@example.org>, size=1234, nrcpt=1 (queue active)', { kind: 'qmgr.from', qid: '4A1B2C3D4E', from: 'a@example.org' }],
    ['Jan 10 10:00:00 mx1 postfix/smtpd[4193]: [ID 947420 mail.warning] warning: hostname nowhere.example does not resolve to address 192.0.2.9', { program: 'postfix/smtpd' }],
  ];
  for (const [line, want] of cases) {
    it(line.slice(36, 110), () => {
      const ev = parseLine(line, ctx());
      expect(ev.kind).not.toBe('unparsed');
      expect(ev).toMatchObject(want);
    });
  }
  it('text that only looks like a message id is left in the message', () => {
    const ev = parseLine('Jan 10 10:00:00 mx1 postfix/smtpd[4193]: [ID x] connect from a.example.org[192.0.2.1]', ctx());
    expect(ev.kind).toBe('unparsed');
  });
});

describe('bug: postscreen lines without `[pid]` went to the ingest thread, away from their open connections', () => {
  // The bulk ingest's reading thread owns the open postscreen connections (pipeline.ts, laneTaker);
  // it picked postscreen lines by `/postscreen[`. An RFC 5424 line (rsyslog's
  // RSYSLOG_SyslogProtocol23Format: `APP-NAME PROCID`) or a tag without a pid has none.
  const lines = [
    '<22>1 2024-01-10T10:00:00.123456+01:00 mx1 postfix/postscreen 4190 - - CONNECT from [192.0.2.1]:52314 to [192.0.2.25]:25',
    '<22>1 2024-01-10T10:00:01.123456+01:00 mx1 postfix/postscreen 4190 - - PASS OLD [192.0.2.1]:52314',
    'Jan 10 10:00:00 mx1 postfix/postscreen: CONNECT from [2001:db8::1]:52314 to [2001:db8::25]:25',
    'Jan 10 10:00:01 mx1 postfix-in/postscreen: DISCONNECT [2001:db8::1]:52314',
  ];
  const routing = new LineRouting();
  for (const line of lines) {
    it(line.slice(0, 90), () => {
      expect(parseLine(line, ctx()).kind).toMatch(/^postscreen\./);
      expect(mayBePostscreenVerdict(line)).toBe(true);
      const b = Buffer.from(line);
      expect(routing.mayBePostscreenVerdict(b, 0, b.length)).toBe(true);
    });
  }
  it('other programs that mention postscreen are not taken', () => {
    for (const line of [
      'Jan 10 10:00:00 mx1 postfix/smtpd[1]: warning: /etc/postfix/postscreen_access.cidr: unknown',
      'Jan 10 10:00:00 mx1 postfix/smtpd[1]: connect from postscreen.example.org[192.0.2.1]',
    ]) {
      expect(mayBePostscreenVerdict(line), line).toBe(false);
      const b = Buffer.from(line);
      expect(routing.mayBePostscreenVerdict(b, 0, b.length), line).toBe(false);
    }
  });
});

// Rules checked and found to hold (kept as a guard): each line is read with its fields.
describe('real line shapes that are read correctly', () => {
  const cases: Array<[string, string, Record<string, unknown>]> = [
    ['IPv6 client (smtpd.c "%s: client=%s")', 'Jan 10 10:00:00 mx1 postfix/smtpd[123]: 4A1B2C3D4E: client=unknown[2001:db8::1]', { kind: 'smtpd.client', clientIp: '2001:db8::1', clientHost: 'unknown' }],
    ['IPv6 postscreen CONNECT', 'Jan 10 10:00:00 mx1 postfix/postscreen[123]: CONNECT from [2001:db8::1]:52314 to [2001:db8::25]:25', { kind: 'postscreen.connect', clientIp: '2001:db8::1', clientPort: 52314 }],
    ['host names with digits, hyphens, capitals', 'Jan 10 10:00:00 MX-01.Unipi.IT postfix/smtpd[123]: connect from Mail-2a.Example-9.COM[192.0.2.1]', { host: 'MX-01.Unipi.IT', clientHost: 'Mail-2a.Example-9.COM' }],
    ['no pid', 'Jan 10 10:00:00 mx1 postfix/smtpd: connect from a.example.org[192.0.2.1]', { kind: 'smtpd.connect', pid: null }],
    ['long pid (pid_max 4194304)', 'Jan 10 10:00:00 mx1 postfix/smtpd[4194303]: connect from a.example.org[192.0.2.1]', { pid: 4194303 }],
    ['rsyslog high-precision stamp', '2024-01-10T10:00:00.123456+01:00 mx1 postfix/smtpd[1]: connect from a.example.org[192.0.2.1]', { kind: 'smtpd.connect' }],
    ['relay=none', 'Jan 10 10:00:00 mx1 postfix/smtp[1]: 4A1B2C3D4E: to=<a@example.org>, relay=none, delay=0.1, delays=0.01/0/0.09/0, dsn=4.4.1, status=deferred (connect to example.org[192.0.2.2]:25: Connection refused)', { relay: 'none', status: 'deferred' }],
    ['status=sent without dsn= (Postfix < 2.3)', 'Jan 10 10:00:00 mx1 postfix/smtp[1]: 4A1B2C3D4E: to=<a@example.org>, relay=example.org[192.0.2.2]:25, delay=0.1, status=sent (250 ok)', { status: 'sent', dsn: null }],
    ['orig_to= and conn_use=', 'Jan 10 10:00:00 mx1 postfix/smtp[1]: 4A1B2C3D4E: to=<a@example.org>, orig_to=<x@example.net>, relay=example.org[192.0.2.2]:25, conn_use=2, delay=0.1, delays=0.01/0/0.09/0, dsn=2.0.0, status=sent (250 ok)', { origTo: 'x@example.net', status: 'sent' }],
    ['delays= with leading dots', 'Jan 10 10:00:00 mx1 postfix/lmtp[1]: 4A1B2C3D4E: to=<a@example.org>, relay=mbox1[private/dovecot-lmtp], delay=0.1, delays=.01/0/.09/0, dsn=2.0.0, status=sent (250 2.0.0 Saved)', { status: 'sent', delays: '.01/0/.09/0' }],
    ['postfix/submission/smtpd with SASL', 'Jan 10 10:00:00 mx1 postfix/submission/smtpd[1]: 4A1B2C3D4E: client=a.example.org[192.0.2.1], sasl_method=PLAIN, sasl_username=joe', { kind: 'smtpd.client', saslUsername: 'joe' }],
    ['postfix-out/smtpd with sasl_sender=', 'Jan 10 10:00:00 mx1 postfix-out/smtpd[1]: 4A1B2C3D4E: client=a.example.org[192.0.2.1], sasl_method=PLAIN, sasl_username=joe, sasl_sender=<joe@example.org>', { kind: 'smtpd.client', saslUsername: 'joe' }],
    ['Dovecot imap-login with mpid and TLS', 'Jan 10 10:00:00 mx1 dovecot: imap-login: Login: user=<joe>, method=PLAIN, rip=192.0.2.1, lip=192.0.2.2, mpid=1234, TLS, session=<abcDEF123>', { kind: 'dovecot.login', protocol: 'imap', rip: '192.0.2.1' }],
    ['Dovecot pop3-login, IPv6, secured', 'Jan 10 10:00:00 mx1 dovecot: pop3-login: Login: user=<joe>, method=PLAIN, rip=2001:db8::1, lip=2001:db8::2, mpid=1234, secured, session=<abcDEF123>', { kind: 'dovecot.login', protocol: 'pop3', rip: '2001:db8::1' }],
    ['Dovecot with a pid', 'Jan 10 10:00:00 mx1 dovecot[1234]: imap-login: Login: user=<joe>, method=PLAIN, rip=192.0.2.1, lip=192.0.2.2, mpid=1234, TLS, session=<abcDEF123>', { kind: 'dovecot.login' }],
    ['Amavis (12345-01) Passed CLEAN {RelayedInbound}', 'Jan 10 10:00:00 mx1 amavis[12345]: (12345-01) Passed CLEAN {RelayedInbound}, [192.0.2.1]:4321 [192.0.2.1] <a@example.org> -> <c@unipi.it>, Queue-ID: 4A1B2C3D4E, Message-ID: <x@y>, mail_id: abc, Hits: -1.2, size: 1234, queued_as: 5B2C3D4E5F, 123 ms', { kind: 'amavis.verdict', verdict: 'CLEAN', qid: '4A1B2C3D4E' }],
    ['Amavis (12345-01-2), IPv6 client', 'Jan 10 10:00:00 mx1 amavis[12345]: (12345-01-2) Passed CLEAN {RelayedInbound}, [2001:db8::1]:4321 [2001:db8::1] <a@example.org> -> <c@unipi.it>, Queue-ID: 4A1B2C3D4E, Message-ID: <x@y>, mail_id: abc, Hits: -1.2, size: 1234, queued_as: 5B2C3D4E5F, 123 ms', { clientIp: '2001:db8::1' }],
    ['Amavis ORIGINATING LOCAL {RelayedOutbound}', 'Jan 10 10:00:00 mx1 amavis[12345]: (12345-01) Passed CLEAN {RelayedOutbound}, ORIGINATING LOCAL [192.0.2.1]:4321 [192.0.2.1] <a@unipi.it> -> <c@example.org>, Queue-ID: 4A1B2C3D4E, Message-ID: <x@y>, mail_id: abc, Hits: -1.2, size: 1234, queued_as: 5B2C3D4E5F, 123 ms', { originating: true }],
  ];
  for (const [name, line, want] of cases) {
    it(name, () => {
      expect(parseLine(line, ctx())).toMatchObject(want);
    });
  }
});
