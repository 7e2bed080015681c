// Envelope formats, time zones, year resolution and hostile input.
import { describe, expect, it } from 'vitest';
import { parseEnvelope } from '../../collectors/parse/envelope';
import { parseLine, parseMessage } from '../../collectors/parse/parse-line';
import { yearFromMtime, yearFromStart } from '../../collectors/parse/year';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_DIR } from './corpus-helpers';

const rome = (year = 2024) => ({ tz: 'Europe/Rome', year: () => year });

describe('traditional RFC 3164', () => {
  it('Europe/Rome winter (+01:00) and summer (+02:00)', () => {
    const w = parseEnvelope('Jan  7 01:43:53 mail postfix/smtpd[807]: E8339132AB: client=localhost[127.0.0.1]', rome());
    expect(w).toEqual({ at: Date.UTC(2024, 0, 7, 0, 43, 53) / 1000, host: 'mail', program: 'postfix/smtpd', pid: 807, message: 'E8339132AB: client=localhost[127.0.0.1]' });
    const s = parseEnvelope('Jun 29 03:10:03 RHL058 postfix/smtpd[25080]: C05A07C2CA0: client=localhost[127.0.0.1]', rome());
    expect(s?.at).toBe(Date.UTC(2024, 5, 29, 1, 10, 3) / 1000);
  });
  it('single-digit day with one space, program without pid, multi-component program, trailing space trimmed', () => {
    expect(parseEnvelope('Sep 8 07:16:29 canyon dovecot: auth-worker(24058): pam(toto,1.1.1.1,<youpi>): pam_authenticate() failed', rome())).toMatchObject({
      host: 'canyon', program: 'dovecot', pid: null, message: 'auth-worker(24058): pam(toto,1.1.1.1,<youpi>): pam_authenticate() failed',
    });
    expect(parseEnvelope('Jan  7 01:43:53 mail postfix/smtp-amavis/smtp[798]: x ', rome())).toMatchObject({ program: 'postfix/smtp-amavis/smtp', message: 'x' });
    expect(parseEnvelope('Jun 27 14:03:00 goban.uni-mb.si /usr/sbin/amavisd-new[20776]: (20776-02) spam-tag', rome())).toMatchObject({ program: '/usr/sbin/amavisd-new', pid: 20776 });
  });
  it('FreeBSD -v priority after the stamp, German month, docker compose prefix', () => {
    expect(parseEnvelope('Apr  2 17:51:27 <4.3> pancake sshd[55624]: error: PAM: authentication error for nick from example.com', rome())).toMatchObject({ host: 'pancake', program: 'sshd', pid: 55624 });
    expect(parseEnvelope('Okt 15 23:48:15 c3 postfix/lmtp[48460]: x', rome())?.at).toBe(Date.UTC(2024, 9, 15, 21, 48, 15) / 1000);
    expect(parseEnvelope('dovecot-mailcow_1    | Apr 23 17:40:29 mail dovecot: imap-login: Aborted login', rome())).toMatchObject({ host: 'mail', program: 'dovecot' });
  });
  it('Dovecot own log file (no host)', () => {
    expect(parseEnvelope('Jan 29 13:54:06 auth-worker(22401): Info: sql(admin@example.de,192.0.2.5,<n4JLdHNVngZGpV2j>): unknown user', rome())).toMatchObject({
      host: '', program: 'dovecot', message: 'auth-worker(22401): Info: sql(admin@example.de,192.0.2.5,<n4JLdHNVngZGpV2j>): unknown user',
    });
    expect(parseEnvelope('2013-08-11 03:56:40 auth-worker(default): Info: pam(username,1.2.3.4): x', rome())?.at).toBe(Date.UTC(2013, 7, 11, 1, 56, 40) / 1000);
  });
});

describe('ISO 8601, RFC 5424, journald', () => {
  it('rsyslog ISO with offset, Z, fraction', () => {
    expect(parseEnvelope('2024-12-31T06:56:17.784598+01:00 mail dovecot: auth-worker(10377): x', rome())).toMatchObject({
      at: Date.UTC(2024, 11, 31, 5, 56, 17) / 1000 + 0.784598, host: 'mail', program: 'dovecot', message: 'auth-worker(10377): x',
    });
    expect(parseEnvelope('2024-08-25T10:11:12Z mx postfix/qmgr[1]: 4FA2B1C2D3: removed', rome())?.at).toBe(Date.UTC(2024, 7, 25, 10, 11, 12) / 1000);
    expect(parseEnvelope('2019-09-10T16:23:03+02:00 hostfoo spamd[13943]: spamd: result', rome())?.at).toBe(Date.UTC(2019, 8, 10, 14, 23, 3) / 1000);
  });
  it('RFC 5424 with NIL fields and structured data (corpus envelopes)', () => {
    const lines = readFileSync(join(CORPUS_DIR, 'crowdsec_hub_pfsense-rfc5424_envelopes.log'), 'utf8').split('\n').filter((l) => l.startsWith('<'));
    expect(parseEnvelope(lines[0]!, rome())).toMatchObject({ at: Date.UTC(2025, 10, 6, 11, 32, 42) / 1000 + 0.868451, host: 'firewall.lan', program: 'filterlog', pid: 92653 });
    expect(parseEnvelope(lines[3]!, rome())).toMatchObject({ program: 'nginx', pid: null, message: expect.stringMatching(/^2025\/11\/05 20:47:03 \[error\]/) });
    expect(parseEnvelope('<38>1 2019-07-08T17:40:17.954167-04:00 hostname.example.com sshd 55555 - [timeQuality tzKnown="1" isSynced="0"][xxx@123 test="[brackets]"] Failed unknown for invalid user redmond', rome())).toMatchObject({
      at: Date.UTC(2019, 6, 8, 21, 40, 17) / 1000 + 0.954167, program: 'sshd', pid: 55555, message: 'Failed unknown for invalid user redmond',
    });
  });
  it('journalctl -o json, MESSAGE as string and as a byte array', () => {
    const lines = readFileSync(join(CORPUS_DIR, 'lnav_test_logfile_journald.json'), 'utf8').split('\n').filter((l) => l.startsWith('{'));
    expect(parseEnvelope(lines[0]!, rome())).toEqual({ at: 1534860261.221373, host: 'imx6ul-medusa', program: 'python', pid: 184, message: 'GPS Reference longitude: 7.358143333' });
    const bytes = [...new TextEncoder().encode('imap-login: Login: user=<è@x.it>, method=PLAIN, rip=1.2.3.4, lip=5.6.7.8, session=<s>')];
    const j = JSON.stringify({ __REALTIME_TIMESTAMP: '1724580000000000', _HOSTNAME: 'px1', SYSLOG_IDENTIFIER: 'dovecot', _PID: '77', MESSAGE: bytes });
    expect(parseLine(j, rome())).toMatchObject({ kind: 'dovecot.login', at: 1724580000, host: 'px1', pid: 77, user: 'è@x.it' });
  });
});

describe('year resolution', () => {
  it('yearFromMtime rolls back months after the mtime month (in tz)', () => {
    const y = yearFromMtime(new Date(Date.UTC(2025, 0, 3, 12)), 'Europe/Rome');
    expect([y(1), y(12), y(11)]).toEqual([2025, 2024, 2024]);
    // 31 Dec 23:30 UTC is already 1 Jan in Rome
    const z = yearFromMtime(new Date(Date.UTC(2024, 11, 31, 23, 30)), 'Europe/Rome');
    expect([z(1), z(12)]).toEqual([2025, 2024]);
  });
  it('yearFromStart increments across New Year and keeps late December lines in the old year', () => {
    const y = yearFromStart(2023);
    expect([y(11), y(12), y(12), y(1), y(12), y(1), y(2)]).toEqual([2023, 2023, 2023, 2024, 2023, 2024, 2024]);
    const ctx = { tz: 'Europe/Rome', year: yearFromStart(2023) };
    const a = parseEnvelope('Dec 31 23:59:59 mx postfix/qmgr[1]: x', ctx)!;
    const b = parseEnvelope('Jan  1 00:00:01 mx postfix/qmgr[1]: x', ctx)!;
    expect(b.at - a.at).toBe(2);
  });
});

describe('hostile input never throws', () => {
  const ctx = rome();
  it.each([
    ['empty', ''],
    ['binary garbage', '\u0000\u0001\u00ff\ud800garbage\u0007{[<'],
    ['replacement chars', 'Jun 29 03:10:03 mx1 postfix/smtpd[1]: \ufffd\ufffd\ufffd: client=\ufffd[\ufffd]'],
    ['truncated', 'Jun 29 03:10:03 mx1 postfix/sm'],
    ['broken json', '{"__REALTIME_TIMESTAMP": "1", "MESSAGE": [1,2,'],
    ['bad rfc5424', '<34>1 2024-99-99T99:99:99Z'],
    ['bare month', 'Jun'],
  ])('%s → unparsed', (_name, line) => {
    const e = parseLine(line, ctx);
    expect(e.kind).toBe('unparsed');
  });
  it('a 70 KB line', () => {
    const long = `Jun 29 03:10:03 mx1 postfix/smtpd[1]: NOQUEUE: reject: RCPT from x[1.2.3.4]: 550 ${'A'.repeat(70_000)}; from=<a> to=<b>`;
    const t0 = performance.now();
    expect(() => parseLine(long, ctx)).not.toThrow();
    expect(parseLine('Jun 29 03:10:03 mx1 dovecot: imap-login: ' + '('.repeat(70_000), ctx).kind).not.toBe(undefined);
    expect(parseLine('Jun 29 03:10:03 mx1 amavis[1]: (1-1) Passed CLEAN, ' + '<a> -> '.repeat(10_000), ctx).kind).not.toBe(undefined);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
  it('parseMessage on odd envelopes', () => {
    expect(parseMessage({ at: 0, host: '', program: '', pid: null, message: '' }).kind).toBe('unparsed');
    expect(parseMessage({ at: 0, host: 'h', program: 'postfix/smtpd', pid: 1, message: '\ufffd'.repeat(100) })).toMatchObject({ kind: 'unparsed', reason: 'message', host: 'h' });
  });
});
