// Field tests: for each event kind, real corpus lines (test/fixtures/corpus) and what we extract.
import { describe, expect, it } from 'vitest';
import { parseLine } from '../../collectors/parse/parse-line';
import { yearFromStart } from '../../collectors/parse/year';
import type { MailEvent } from '../../collectors/parse/events';

const p = (line: string): MailEvent => parseLine(line, { tz: 'Europe/Rome', year: yearFromStart(2024) });

describe('postscreen', () => {
  it('connect, dnsbl, pregreet, disconnect, pass', () => {
    expect(p('Jan 23 08:01:17 Pixel-games postfix/postscreen[32998]: CONNECT from [162.142.125.193]:60180 to [195.133.80.247]:25')).toMatchObject({
      kind: 'postscreen.connect', host: 'Pixel-games', program: 'postfix/postscreen', pid: 32998, clientIp: '162.142.125.193', clientPort: 60180,
    });
    expect(p('Jan 23 08:01:23 Pixel-games postfix/postscreen[32998]: DNSBL rank 3 for [162.142.125.193]:60180')).toMatchObject({
      kind: 'postscreen.violation', test: 'dnsbl', rank: 3, clientIp: '162.142.125.193', clientPort: 60180,
    });
    expect(p('Dec 23 19:39:13 xxx postfix/postscreen[21057]: PREGREET 14 after 0.08 from [192.0.2.2]:59415: EHLO ylmf-pc\\r\\n')).toMatchObject({
      kind: 'postscreen.violation', test: 'pregreet', clientIp: '192.0.2.2', clientPort: 59415, detail: 'EHLO ylmf-pc\\r\\n',
    });
    expect(p('Jan 23 08:01:23 Pixel-games postfix/postscreen[32998]: DISCONNECT [162.142.125.193]:60180')).toMatchObject({
      kind: 'postscreen.disconnect', clientIp: '162.142.125.193', clientPort: 60180,
    });
    expect(p('Feb 28 10:53:39 mx postfix/postscreen[46297]: PASS NEW [87.250.230.154]:57864')).toMatchObject({
      kind: 'postscreen.pass', how: 'new', clientIp: '87.250.230.154', clientPort: 57864,
    });
  });
  it('postscreen NOQUEUE reject (comma-separated trailer) is a dnsbl reject', () => {
    const e = p('May  5 15:51:11 xxx postfix/postscreen[1148]: NOQUEUE: reject: RCPT from [216.245.194.173]:60591: 550 5.7.1 Service unavailable; client [216.245.194.173] blocked using rbl.example.com; from=<spammer@example.com>, to=<goodguy@example.com>, proto=ESMTP, helo=<badguy.example.com>');
    expect(e).toMatchObject({
      kind: 'postfix.reject', action: 'reject', qid: null, stage: 'RCPT', clientHost: null, clientIp: '216.245.194.173', code: 550, enhanced: '5.7.1',
      reasonClass: 'dnsbl', from: 'spammer@example.com', to: 'goodguy@example.com', helo: 'badguy.example.com', greylist: false,
    });
  });
});

describe('smtpd', () => {
  it('NOQUEUE reject: relay denied and helo', () => {
    expect(p('2024-08-25T12:31:56.154748+00:00 machine postfix/smtpd[3887453]: NOQUEUE: reject: RCPT from unknown[192.168.1.1]: 454 4.7.1 <spammer@domain.tld>: Relay access denied; from=<spammer@domain.tld> to=<spammer@domain.tld> proto=ESMTP helo=<WIN-CLJ1B0GQ6JP>')).toMatchObject({
      kind: 'postfix.reject', action: 'reject', qid: null, stage: 'RCPT', clientHost: 'unknown', clientIp: '192.168.1.1', code: 454, enhanced: '4.7.1',
      reply: '<spammer@domain.tld>: Relay access denied', reasonClass: 'relay-denied', from: 'spammer@domain.tld', helo: 'WIN-CLJ1B0GQ6JP',
      at: Date.UTC(2024, 7, 25, 12, 31, 56) / 1000 + 0.154748,
    });
    expect(p('2024-08-29T01:08:59.764590+00:00 machine postfix/smtpd[1938053]: NOQUEUE: reject: RCPT from unknown[192.168.1.1]: 504 5.5.2 <WIN-9QL4SDRB93L>: Helo command rejected: need fully-qualifiedhostname; from=<spammer@domain.tld> to=<spammer@domain.tld> proto=ESMTP helo=<WIN-9QL4SDRB93L>')).toMatchObject({ reasonClass: 'helo', code: 504 });
  });
  it('greylisting milter-reject (shape from milter-greylist source, see INDEX.txt) sets greylist', () => {
    // Synthetic: no real greylisting milter-reject line is in the corpus; reply text as milter-greylist sends it.
    expect(p('Mar  7 02:09:33 mx1 postfix/smtpd[27246]: NOQUEUE: milter-reject: RCPT from mail.example.org[192.0.2.151]: 451 4.7.1 Greylisting in action, please come back in 00:05:00; from=<a@example.org> to=<b@example.net> proto=ESMTP helo=<mail.example.org>')).toMatchObject({
      kind: 'postfix.reject', action: 'milter-reject', greylist: true, reasonClass: 'greylist', code: 451, enhanced: '4.7.1',
    });
  });
  it('connect, disconnect with command counters', () => {
    expect(p('Sep 23 15:53:33 mail postfix/smtpd[3643150]: connect from unknown[0.0.0.0]')).toMatchObject({ kind: 'smtpd.connect', clientHost: 'unknown', clientIp: '0.0.0.0' });
    const d = p('Feb 13 13:53:00 mx0 postfix/smtpd[276836]: disconnect from mi024.mc1.hosteurope.de[80.237.138.231] ehlo=2 starttls=1 mail=1 rcpt=0/1 quit=1 commands=5/6');
    expect(d).toMatchObject({ kind: 'smtpd.disconnect', clientHost: 'mi024.mc1.hosteurope.de', clientIp: '80.237.138.231' });
    expect(d.kind === 'smtpd.disconnect' && d.commands).toEqual({
      ehlo: { ok: 2, total: 2 }, starttls: { ok: 1, total: 1 }, mail: { ok: 1, total: 1 }, rcpt: { ok: 0, total: 1 }, quit: { ok: 1, total: 1 }, commands: { ok: 5, total: 6 },
    });
  });
  it('client= with SASL, IPv6 and multi-component service', () => {
    expect(p('Sep 23 15:57:40 mail postfix/submission/smtpd[3646210]: 838FC8A5F: client=unknown[fe80::1:2:3:4], sasl_method=PLAIN, sasl_username=out@example.org')).toMatchObject({
      kind: 'smtpd.client', program: 'postfix/submission/smtpd', qid: '838FC8A5F', clientHost: 'unknown', clientIp: 'fe80::1:2:3:4', saslMethod: 'PLAIN', saslUsername: 'out@example.org',
    });
  });
  it('SASL failures and lost connections', () => {
    expect(p('Sep  6 00:44:56 trianon postfix/submission/smtpd[11538]: warning: unknown[82.221.106.233]: SASL LOGIN authentication failed: UGFzc3dvcmQ6')).toMatchObject({
      kind: 'smtpd.sasl-failed', clientIp: '82.221.106.233', mechanism: 'LOGIN', reason: 'UGFzc3dvcmQ6', saslUsername: null,
    });
    expect(p('Nov  4 09:11:01 mail postfix/smtpd[1234]: warning: unknown[192.0.2.152]: SASL LOGIN authentication failed: (reason unavailable), sasl_username=admin')).toMatchObject({
      kind: 'smtpd.sasl-failed', reason: '(reason unavailable)', saslUsername: 'admin',
    });
    expect(p('May 27 16:06:50 host postfix/smtpd[803]: timeout after END-OF-MESSAGE from localhost[127.0.0.1]')).toMatchObject({ kind: 'smtpd.lost', after: 'END-OF-MESSAGE', timeout: true, clientIp: '127.0.0.1' });
    expect(p('Feb 18 09:45:10 xxx postfix/smtpd[42]: lost connection after CONNECT from spammer.example.com[192.0.2.10]')).toMatchObject({ kind: 'smtpd.lost', after: 'CONNECT', timeout: false });
  });
  it('TLS chatter and improper pipelining are noise', () => {
    expect(p('Jan  1 00:00:00 msghost postfix/smtpd[1]: discarding EHLO keywords: CHUNKING ETRN DSN 8BITMIME').kind).toBe('noise');
  });
});

describe('cleanup, pickup, qmgr, bounce', () => {
  it('message-id, milter-reject END-OF-MESSAGE without reply code', () => {
    expect(p('Jun 29 03:10:03 RHL058 postfix/cleanup[12555]: C05A07C2CA0: message-id=<1404025803.53afbbcb667b9@swift.generated>')).toMatchObject({
      kind: 'cleanup.message-id', qid: 'C05A07C2CA0', messageId: '1404025803.53afbbcb667b9@swift.generated', resent: false,
    });
    expect(p('Feb 28 10:59:29 mx postfix/cleanup[46417]: 7F2DF64430: milter-reject: END-OF-MESSAGE from forward12h.cmail.yandex.net[87.250.230.154]: 4.7.1 Try again later; from=<user@example1.com> to=<rcpt@example.com> proto=ESMTP helo=<forward12h.cmail.yandex.net>')).toMatchObject({
      kind: 'postfix.reject', action: 'milter-reject', qid: '7F2DF64430', stage: 'END-OF-MESSAGE', code: null, enhanced: '4.7.1', reply: 'Try again later', clientIp: '87.250.230.154', reasonClass: 'milter',
    });
  });
  it('header_checks warning is a reject event with action warn', () => {
    expect(p('Jan  1 00:00:00 msghost postfix/cleanup[1]: 3D770111AF50: warning: header Subject: Manquants LASTNAME GB Nouvelle version from unknown[10.1.1.1]; from=<foo@corp.com> to=<first.last@corp.com> proto=ESMTP helo=<SUBDOMAIN.CORP.COM>')).toMatchObject({
      kind: 'postfix.reject', action: 'warn', stage: 'header', qid: '3D770111AF50', clientHost: 'unknown', clientIp: '10.1.1.1', from: 'foo@corp.com', to: 'first.last@corp.com',
    });
  });
  it('pickup, qmgr from/removed/expired, bounce', () => {
    expect(p('Aug 31 21:12:04 xxxxxxxx postfix/pickup[6046]: 12A313E2928: uid=0 from=<root>')).toMatchObject({ kind: 'pickup.from', qid: '12A313E2928', uid: 0, from: 'root' });
    expect(p('Jun 29 03:10:03 RHL058 postfix/qmgr[14505]: C05A07C2CA0: from=<no-reply@grooveshark.com>, size=26493, nrcpt=1 (queue active)')).toMatchObject({
      kind: 'qmgr.from', qid: 'C05A07C2CA0', from: 'no-reply@grooveshark.com', size: 26493, nrcpt: 1,
    });
    expect(p('Jun 29 03:10:04 RHL058 postfix/qmgr[14505]: C05A07C2CA0: removed')).toMatchObject({ kind: 'qmgr.removed', qid: 'C05A07C2CA0' });
    expect(p('Nov  2 05:28:19 conch postfix/qmgr[25409]: 99379242BC: from=<>, status=expired, returned to sender')).toMatchObject({ kind: 'qmgr.expired', qid: '99379242BC', from: '', status: 'expired' });
    expect(p('Dec 15 07:46:45 phoenix postfix/bounce[29114]: 5EDC01104345: postmaster non-delivery notification: 837471100954')).toMatchObject({
      kind: 'bounce.notification', qid: '5EDC01104345', ndnQid: '837471100954', type: 'non-delivery',
    });
  });
});

describe('delivery agents', () => {
  it('content-filter hop with queued as, multi-component service name', () => {
    expect(p('Jan  7 01:43:53 mail postfix/smtp-amavis/smtp[798]: 792B6131D7: to=<hello@example.test>, relay=127.0.0.1[127.0.0.1]:10024, delay=2.5, delays=0.06/0/1.6/0.82, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as E8339132AB)')).toMatchObject({
      kind: 'postfix.delivery', agent: 'smtp', qid: '792B6131D7', to: 'hello@example.test', origTo: null, relay: '127.0.0.1[127.0.0.1]:10024',
      relayHost: '127.0.0.1', relayIp: '127.0.0.1', relayPort: 10024, delay: 2.5, delays: '0.06/0/1.6/0.82', dsn: '2.0.0', status: 'sent', queuedAs: 'E8339132AB',
    });
  });
  it('deferred with relay=none, tls= field, undeliverable-but-not-cached', () => {
    expect(p('Oct 22 02:20:45 conch postfix/smtp[26919]: 59F49243F8: to=<noreply@drozta.us>, relay=none, delay=67596, delays=67596/0.01/0.09/0, dsn=4.4.1, status=deferred (connect to drozta.us[213.163.84.205]:25: Connection refused)')).toMatchObject({
      status: 'deferred', relay: 'none', relayHost: null, relayIp: null, relayPort: null, dsn: '4.4.1', reply: 'connect to drozta.us[213.163.84.205]:25: Connection refused', queuedAs: null,
    });
    expect(p('Jan  1 00:00:00 msghost postfix/smtp[1]: 7EE668039: to=<user@example.com>, relay=mail.example.com[1.2.3.4]:25, delay=3.6, delays=0.08/0.02/0.85/0.14, tls=dane, dsn=2.1.5, status=sent (250 2.0.0 Ok: queued as 153053D)')).toMatchObject({ status: 'sent', dsn: '2.1.5', queuedAs: '153053D' });
    expect(p('Jan  1 00:00:00 msghost postfix/error[1]: 3E29030F8637E: to=<user@yahoo.com>, relay=none, delay=0.01, delays=0.01/0/0/0, dsn=5.1.1, status=undeliverable-but-not-cached (User unknown in virtual alias table)')).toMatchObject({ agent: 'error', status: 'undeliverable' });
  });
  it('connect failures: refused vs unreachable, IPv6', () => {
    expect(p('Oct 22 02:20:45 conch postfix/smtp[26918]: connect to lxoukw.us[213.163.84.205]:25: Connection refused')).toMatchObject({
      kind: 'postfix.connect-failed', destHost: 'lxoukw.us', destIp: '213.163.84.205', destPort: 25, reason: 'Connection refused', refused: true,
    });
    expect(p('Jun 29 03:10:03 RHL058 postfix/smtp[21304]: connect to gmail-smtp-in.l.google.com[2607:f8b0:4003:c01::1b]:25: Network is unreachable')).toMatchObject({
      kind: 'postfix.connect-failed', destIp: '2607:f8b0:4003:c01::1b', destPort: 25, refused: false,
    });
  });
});

describe('master, dnsblog, anvil', () => {
  it('master start/stop', () => {
    expect(p('Aug 31 21:09:56 xxxxxxxx postfix/master[6044]: daemon started -- version 3.1.4, configuration /etc/postfix')).toMatchObject({ kind: 'postfix.master', action: 'start', version: '3.1.4' });
    expect(p('Aug 31 21:09:55 xxxxxxxx postfix/master[30530]: terminating on signal 15')).toMatchObject({ kind: 'postfix.master', action: 'stop' });
  });
  it('dnsblog and anvil', () => {
    expect(p('Jan 23 08:01:17 Pixel-games postfix/dnsblog[33000]: addr 162.142.125.193 listed by domain zen.spamhaus.org as 127.0.0.4')).toMatchObject({
      kind: 'postfix.dnsblog', clientIp: '162.142.125.193', list: 'zen.spamhaus.org', answer: '127.0.0.4',
    });
    expect(p('Oct 22 02:12:45 conch postfix/anvil[26709]: statistics: max connection rate 3/60s for (smtp:94.156.37.30) at Oct 22 02:04:14')).toMatchObject({
      kind: 'postfix.anvil', stat: 'max connection rate', value: '3/60s', client: 'smtp:94.156.37.30',
    });
  });
});

describe('amavis', () => {
  it('2.7+ verdict with action block, queued_as, hits', () => {
    expect(p('Dec  4 10:33:25 mx amavis[13901]: (13901-15) Passed SPAMMY {RelayedTaggedInbound}, [1.7.1.1]:4578 [1.7.1.1] <simonova@yahoo.com> -> <lik@some.net>,<ochki@some.net>,<tik@some.net>, Queue-ID: 5247C4562029, Message-ID: <659691365ACB4CBBA5AD2A0C2E2639E2@ip-1-7-1-1.bb.net.net>, mail_id: 3JiB02xP9nql, Hits: 18.715, size: 18198, queued_as: F3C59456202A, 659 ms')).toMatchObject({
      kind: 'amavis.verdict', action: 'Passed', verdict: 'SPAMMY', originating: false, clientIp: '1.7.1.1', from: 'simonova@yahoo.com', to: ['lik@some.net', 'ochki@some.net', 'tik@some.net'],
      qid: '5247C4562029', queuedAs: ['F3C59456202A'], hits: 18.715, size: 18198, messageId: '659691365ACB4CBBA5AD2A0C2E2639E2@ip-1-7-1-1.bb.net.net', mailId: '3JiB02xP9nql', elapsedMs: 659,
    });
  });
  it('Blocked INFECTED with detail, 2.6 format without action block, Hits: -', () => {
    const e = p('Feb 10 01:27:49 mx-1 amavis[27693]: (27693-06) Blocked INFECTED (Win.Trojan.Generickd-2094), [194.214.158.196] [167.88.35.187] <blombacke@olivesverige.se> -> <xxxxxi@mail.sophia.mines-paristech.fr>, quarantine: 3/virus-3tsxby3v3tSL, Message-ID: <201502100027.t1A0Rldx012631@paris.ensmp.fr>, mail_id: 3tsxby3v3tSL, Hits: -, size: 253117, 284 ms');
    expect(e).toMatchObject({ kind: 'amavis.verdict', action: 'Blocked', verdict: 'INFECTED', detail: 'Win.Trojan.Generickd-2094', hits: null, clientIp: '167.88.35.187', qid: null, queuedAs: [] });
  });
  it('ORIGINATING and multiple queued_as (synthetic variants of the real 2.7 line above)', () => {
    // Synthetic: the corpus has no outbound verdict; same shape with the ORIGINATING marker and two queued_as ids.
    expect(p('Dec  4 10:33:25 mx amavis[13901]: (13901-16) Blocked SPAM {DiscardedOutbound,Quarantined}, ORIGINATING LOCAL [10.0.0.5]:4578 [10.0.0.5] <u@some.net> -> <x@y.org>, Queue-ID: 5247C4562030, mail_id: a, Hits: 12.3, size: 1, queued_as: AAA1111111/BBB2222222, 10 ms')).toMatchObject({
      verdict: 'SPAM', originating: true, clientIp: '10.0.0.5', queuedAs: ['AAA1111111', 'BBB2222222'], hits: 12.3, elapsedMs: 10,
    });
    expect(p('Dec  4 10:33:25 mx amavis[13901]: (13901-17) Passed CLEAN {RelayedOutbound}, [10.0.0.5]:1 [10.0.0.5] <u@some.net> -> <x@y.org>, Hits: -1.2, queued_as: AAA1111111, BBB2222222, 1234 ms')).toMatchObject({
      originating: true, hits: -1.2, queuedAs: ['AAA1111111', 'BBB2222222'], elapsedMs: 1234,
    });
  });
  it('start and chatter', () => {
    expect(p('Oct  8 20:59:34 mail amavis[577]: starting. /usr/sbin/amavisd-new at mail.sweetrush.com amavisd-new-2.10.1 (20141025), Unicode aware')).toMatchObject({ kind: 'amavis.lifecycle', action: 'start' });
    expect(p('Oct  8 20:59:34 mail amavis[577]: Module Amavis::Conf        2.404')).toMatchObject({ kind: 'noise', family: 'amavis' });
  });
});

describe('milter-greylist', () => {
  // No real milter-greylist line exists in the corpus: these follow the log format its source code
  // writes, as recorded at the end of /work/shared/corpus/INDEX.txt.
  it('delayed and autowhitelisted, with QID, NOQUEUE and no prefix', () => {
    expect(p('Mar  7 02:09:33 mx1 milter-greylist[812]: 4FA2B1C2D3: addr 192.0.2.1 from <a@example.org> to <b@example.net> delayed for 00:05:00')).toMatchObject({
      kind: 'greylist.delayed', qid: '4FA2B1C2D3', clientIp: '192.0.2.1', from: 'a@example.org', to: 'b@example.net', delaySeconds: 300,
    });
    expect(p('Mar  7 02:09:33 mx1 milter-greylist[812]: NOQUEUE: addr 192.0.2.1 from <a@example.org> to <b@example.net> delayed for 01:00:00')).toMatchObject({ qid: null, delaySeconds: 3600 });
    expect(p('Mar  7 02:19:33 mx1 milter-greylist[812]: addr 192.0.2.1 from <a@example.org> rcpt <b@example.net>: autowhitelisted for 24:00:00')).toMatchObject({
      kind: 'greylist.autowhitelisted', qid: null, clientIp: '192.0.2.1', from: 'a@example.org', to: 'b@example.net',
    });
    expect(p('Mar  7 02:19:33 mx1 milter-greylist[812]: greylist: mx1 is up').kind).toBe('noise');
  });
});

describe('dovecot', () => {
  it('login and proxy', () => {
    expect(p('Dec 24 00:16:45 mail dovecot: imap-login: Login: user=<hi@domain.com>, method=PLAIN, rip=93.225.120.32, lip=172.31.0.2, mpid=1378, TLS, session=<0Dqr+obwvM1d4Xgg>')).toMatchObject({
      kind: 'dovecot.login', protocol: 'imap', user: 'hi@domain.com', method: 'PLAIN', rip: '93.225.120.32', lip: '172.31.0.2', session: '0Dqr+obwvM1d4Xgg',
    });
    expect(p('Oct 19 14:14:38 host dovecot: pop3-login: proxy(username): started proxying to 2.2.2.2:110: user=<username>, method=PLAIN, rip=2.2.2.2, lip=5.5.5.5, session=<udMDFAwQWQDU6/2a>')).toMatchObject({
      kind: 'dovecot.proxy-started', protocol: 'pop3', user: 'username', backend: '2.2.2.2:110', rip: '2.2.2.2', session: 'udMDFAwQWQDU6/2a',
    });
    // Dovecot 2.4 wording, from its source (login-common/client-common-auth.c: "Started proxying to <%s>"), not from a log
    expect(p('Oct 19 14:14:38 host dovecot: imap-login: Info: proxy(u@x.it): Started proxying to <10.1.0.11>: user=<u@x.it>, method=PLAIN, rip=192.0.2.9, lip=10.0.0.1, session=<abc>')).toMatchObject({
      kind: 'dovecot.proxy-started', backend: '10.1.0.11', user: 'u@x.it', session: 'abc',
    });
  });
  it('proxy failures (shapes from the brief; no real line in the corpus)', () => {
    expect(p('Oct 19 14:14:38 px1 dovecot: imap-login: proxy(u): connect(10.1.0.11, 143) failed: Connection refused (after 0 secs, local=10.0.0.2:41234)')).toMatchObject({
      kind: 'dovecot.proxy-failed', user: 'u', backend: '10.1.0.11:143', unreachable: true,
    });
    expect(p('Oct 19 14:14:38 px1 dovecot: imap-login: proxy(u): Login failed to 10.1.0.11:143: Authentication failed')).toMatchObject({
      kind: 'dovecot.proxy-failed', backend: '10.1.0.11:143', reason: 'Authentication failed', unreachable: false,
    });
    expect(p('Jul 17 09:21:22 mailproxy dovecot: imap-login: Disconnected (proxy dest auth failed): user=<rtomes@acenet.com.au>, method=PLAIN, rip=192.0.2.4, lip=192.168.1.2, session=<NTI4FiZxcQCSud4G>')).toMatchObject({
      kind: 'dovecot.proxy-failed', user: 'rtomes@acenet.com.au', unreachable: false, session: 'NTI4FiZxcQCSud4G',
    });
  });
  it('auth failed variants (2.2, 2.3, 2.4, TAI64N, own log file) and aborted', () => {
    expect(p('Sep 8 07:16:27 canyon dovecot[7508]: imap-login: Disconnected (auth failed, 1 attempts in 6 secs): user=<toto@toto.com>, method=PLAIN, rip=1.1.1.1, lip=7.7.7.7, TLS, session=<azdaDADSqqsvf-za>')).toMatchObject({
      kind: 'dovecot.auth-failed', protocol: 'imap', user: 'toto@toto.com', method: 'PLAIN', rip: '1.1.1.1', lip: '7.7.7.7', attempts: 1, session: 'azdaDADSqqsvf-za',
    });
    expect(p('Jun 12 19:07:29 hostname dovecot[241]: imap-login: Login aborted: Connection closed (auth failed, 3 attempts in 16 secs) (auth_failed): user=<test>, method=PLAIN, rip=192.0.2.241, lip=203.0.113.104, TLS, session=<9ZHq02g3J8S60fan>')).toMatchObject({
      kind: 'dovecot.auth-failed', attempts: 3, user: 'test',
    });
    expect(p('@400000004c91b044077a9e94 imap-login: Info: Aborted login (auth failed, 1 attempts): user=<martin@waschbuesch.de>, method=CRAM-MD5, rip=80.187.101.33, lip=80.254.129.240, TLS')).toMatchObject({
      kind: 'dovecot.auth-failed', method: 'CRAM-MD5', host: '', at: 0x4c91b044 - 10 + 0x077a9e94 / 1e9,
    });
    expect(p('Jan 29 09:33:58 pop3-login: Info: Aborted login (auth failed, 1 attempts in 2 secs): user=<grace>, method=PLAIN, rip=212.9.180.3')).toMatchObject({
      kind: 'dovecot.auth-failed', protocol: 'pop3', user: 'grace', host: '',
    });
    expect(p('Oct 19 14:14:38 host dovecot: pop3-login: Aborted login (no auth attempts in 0 secs): user=<>, rip=2.2.2.2, lip=5.5.5.5, session=<Q4nfkMAPTQDBAhKu>')).toMatchObject({
      kind: 'dovecot.aborted', protocol: 'pop3', user: null, rip: '2.2.2.2', reason: 'no auth attempts in 0 secs', session: 'Q4nfkMAPTQDBAhKu',
    });
  });
  it('logout, lmtp saved and quota', () => {
    expect(p('Jun 22 18:36:24 mailserver-5cd6b59df5-8bb5w dovecot: imap(user@example.com)<1234><1xYaEV/FluUKKgK6>: Logged out in=127 out=1043 deleted=0 expunged=0 trashed=0 hdr_count=0 hdr_bytes=0 body_count=0 body_bytes=0 ')).toMatchObject({
      kind: 'dovecot.logout', protocol: 'imap', user: 'user@example.com', inBytes: 127, outBytes: 1043, session: '1xYaEV/FluUKKgK6',
    });
    expect(p('Oct 19 14:14:38 host dovecot: pop3(username): Disconnected: Logged out top=0/0, retr=0/0, del=0/0, size=0')).toMatchObject({ kind: 'dovecot.logout', protocol: 'pop3', user: 'username' });
    expect(p('Oct 19 14:14:38 host dovecot: lmtp(username): iUi8BBUI2FRbfgAAA15QOA: msgid=<E1YKcnl-0001q3-UM@example.com>: saved mail to INBOX')).toMatchObject({
      kind: 'dovecot.lmtp-saved', user: 'username', messageId: 'E1YKcnl-0001q3-UM@example.com', mailbox: 'INBOX', session: 'iUi8BBUI2FRbfgAAA15QOA',
    });
    expect(p("May 11 11:35:36 mail dovecot: lmtp(quotauser@otherdomain.tld)<1522><2E+aO4c4uV7yBQAAUIhAew>: sieve: msgid=<20200511113535.889CA28724D@mail.my-domain.com>: failed to store into mailbox 'INBOX': Quota exceeded (mailbox for user is full)")).toMatchObject({
      kind: 'dovecot.lmtp-quota', user: 'quotauser@otherdomain.tld', messageId: '20200511113535.889CA28724D@mail.my-domain.com', session: '2E+aO4c4uV7yBQAAUIhAew',
    });
  });
  it('master start, killed, fatal; auth-worker failures are recognised noise', () => {
    expect(p('Oct  8 20:59:32 mail dovecot: master: Dovecot v2.2.34 (874deae) starting up for imap, lmtp')).toMatchObject({ kind: 'dovecot.master', action: 'start' });
    expect(p('Aug 31 21:10:10 xxxxxxxx dovecot: master: Warning: Killed with signal 15 (by pid=6068 uid=0 code=kill)')).toMatchObject({ kind: 'dovecot.master', action: 'killed' });
    expect(p('Jun 17 10:15:24 hostname dovecot: Fatal: Auth process died too early - shutting down')).toMatchObject({ kind: 'dovecot.master', action: 'fatal' });
    expect(p('Jan 29 05:32:50 mail dovecot: auth-worker(304): pam(username,1.2.3.4): pam_authenticate() failed: Authentication failure (password mismatch?)')).toMatchObject({ kind: 'noise', family: 'dovecot' });
    expect(p('Jan 29 05:13:50 mail dovecot: auth: passwd-file(username,1.2.3.4): unknown user')).toMatchObject({ kind: 'noise', family: 'dovecot' });
  });
});

describe('hostile HELO', () => {
  it('keeps a HELO that contains angle brackets whole, as the client sent it', () => {
    // The smtpd NOQUEUE reject shape of the corpus (kdent/postfix_log_analysis) with a hostile HELO.
    const line =
      'Jun 29 03:10:03 mx1 postfix/smtpd[25080]: NOQUEUE: reject: RCPT from unknown[192.0.2.1]: 504 5.5.2 <x>: Helo command rejected: need fully-qualified hostname; from=<a@example.org> to=<b@unipi.it> proto=ESMTP helo=<<script>alert(1)</script>>';
    const ev = parseLine(line, { tz: 'Europe/Rome', year: yearFromStart(2014) });
    expect(ev).toMatchObject({ kind: 'postfix.reject', helo: '<script>alert(1)</script>', from: 'a@example.org', to: 'b@unipi.it', code: 504 });
    const cleanup =
      'Jun 29 03:10:03 mx1 postfix/cleanup[1]: 4104E3D: reject: header Subject: x from unknown[192.0.2.1]; from=<a@example.org> to=<b@unipi.it> proto=ESMTP helo=<a>b>: 550 5.7.1 No spam';
    expect(parseLine(cleanup, { tz: 'Europe/Rome', year: yearFromStart(2014) })).toMatchObject({ helo: 'a>b', code: 550 });
  });
});
