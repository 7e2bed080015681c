// The raw material of availability: daemon stops and starts, refused connects (standalone or
// only inside a deferral) and the minutes each host logged in, from real lines.
import { describe, expect, it } from 'vitest';
import { Correlator, type CorrelatorOptions } from '../../collectors/correlate/correlator';
import { parseLine } from '../../collectors/parse/parse-line';
import { yearFromStart } from '../../collectors/parse/year';
import type { Output } from '../../collectors/correlate/records';

const opts: CorrelatorOptions = { spamTagLevel: 5, mailboxHosts: [], postscreenHosts: [], openRecordTtlSeconds: 86_400 };

function run(lines: string[]): Output {
  const c = new Correlator(opts);
  const ctx = { tz: 'UTC', year: yearFromStart(2020) };
  for (const l of lines) c.push(parseLine(l, ctx), l);
  return c.drain();
}

// infohtreasure/Postfix-Maillog-Dump maillog @ 6671619e3bb527aa90024c769a686cc8169ab639 (test/fixtures/corpus)
const restart = [
  'Aug 31 21:09:55 xxxxxxxx postfix/master[30530]: terminating on signal 15',
  'Aug 31 21:09:56 xxxxxxxx postfix/master[6044]: daemon started -- version 3.1.4, configuration /etc/postfix',
  'Aug 31 21:10:10 xxxxxxxx dovecot: master: Warning: Killed with signal 15 (by pid=6068 uid=0 code=kill)',
  'Aug 31 21:10:11 xxxxxxxx dovecot: master: Dovecot v2.2.27 (c0f36b0) starting up for imap, lmtp (core dumps disabled)',
];
// kdent/postfix_log_analysis mail.log @ 01b0058787240d159ce06dbc9af35922d0a83edc: the refused
// connect both on its own line and inside the deferral; the second deferral has no line of its own
const refused = [
  'Oct 22 02:20:45 conch postfix/smtp[26918]: 21C3C243D1: to=<support@lxoukw.us>, relay=none, delay=75925, delays=75925/0.01/0.11/0, dsn=4.4.1, status=deferred (connect to lxoukw.us[213.163.84.205]:25: Connection refused)',
  'Oct 22 02:20:45 conch postfix/smtp[26918]: connect to lxoukw.us[213.163.84.205]:25: Connection refused',
  'Nov  7 02:13:39 conch postfix/smtp[19190]: 918EE242CB: to=<postmaster@nhuvue.biz>, relay=none, delay=223215, delays=223215/0.01/0.2/0, dsn=4.4.1, status=deferred (connect to nhuvue.biz[188.122.72.101]:25: Connection refused)',
];

describe('service events', () => {
  it('keeps daemon stops and starts with their lines', () => {
    const out = run(restart);
    expect(out.serviceEvents.map((e) => [e.daemon, e.event, e.line])).toEqual([
      ['postfix', 'stop', restart[0]],
      ['postfix', 'start', restart[1]],
      ['dovecot', 'killed', restart[2]],
      ['dovecot', 'start', restart[3]],
    ]);
  });

  it('keeps refused connects with target and port, also those only a deferral names', () => {
    const out = run(refused);
    expect(out.serviceEvents.map((e) => [e.event, e.target, e.port, e.line])).toEqual([
      ['refused', 'lxoukw.us', 25, refused[0]],
      ['refused', 'lxoukw.us', 25, refused[1]],
      ['refused', 'nhuvue.biz', 25, refused[2]],
    ]);
  });

  it('keeps the filter port and the proxy backend that refused', () => {
    // Adapted: the filter-port deferral as Postfix writes it for a single-address nexthop
    // (smtp_connect.c) with the corpus's line shape above; the proxy line is Dovecot's
    // login-proxy.c `connect(%s, %u) failed: %m (after %u secs, local=%s)`.
    const out = run([
      'Nov 10 16:00:55 mx2 postfix/smtp[18761]: D931407277: to=<a@example.org>, relay=none, delay=1.6, delays=0.52/0.01/1.1/0, dsn=4.4.1, status=deferred (connect to 127.0.0.1[127.0.0.1]:10024: Connection refused)',
      'Nov 10 14:01:02 imap1 dovecot: imap-login: Error: proxy(a@example.org): connect(10.1.0.11, 143) failed: Connection refused (after 0 secs, local=10.1.0.21:50122)',
    ]);
    expect(out.serviceEvents.map((e) => [e.host, e.daemon, e.event, e.target, e.port])).toEqual([
      ['mx2', 'postfix', 'refused', '127.0.0.1', 10024],
      ['imap1', 'dovecot', 'unreachable', '10.1.0.11', 143],
    ]);
  });

  it('marks the minutes each host logged in', () => {
    const out = run(restart);
    const hours = out.activity.get('xxxxxxxx')!;
    // 21:09 and 21:10 UTC on Aug 31 2020: minutes 9 and 10 of the hour
    const hourAt = Date.UTC(2020, 7, 31, 21) / 1000;
    expect([...hours.keys()]).toEqual([hourAt]);
    expect(hours.get(hourAt)).toEqual([(1 << 9) | (1 << 10), 0]);
  });
});
