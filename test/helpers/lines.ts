// Realistic log lines in the exact format of the observed system (one central syslog file:
// MX with postscreen, Amavis re-injection on :10025, LMTP to the mailbox servers, Dovecot
// proxies, SASL relays). Day stamps are `Nov 29`; the year comes from the ingest.
export const DAY = 'Nov 29';
export const DATE = '2026-11-29';
export const YEAR = 2026;
/** 14:00 in Rome on DATE: "now" for the tests. */
export const NOW_MS = Date.UTC(2026, 10, 29, 13, 0, 0);

export const XSS_HELO = '<script>alert(1)</script>';

/** One inbound message: postscreen → smtpd → cleanup → qmgr → Amavis → re-injection → LMTP. */
export function inboundMessage(t = '03:47', qid = '577F6B0922', reQid = '57A4B0FDB3', rcpt = 'antonio.testa@unipi.it', sender = 'l.tbfdyi@outlook.com', msgid = 'TP8T3T.d4Vpz6nEOsfd@outlook.com'): string[] {
  const s = (sec: string) => `${DAY} ${t}:${sec}`;
  return [
    `${s('53')} mx3.unipi.it postfix/postscreen[2536]: CONNECT from [40.107.21.87]:41590 to [131.114.21.13]:25`,
    `${s('53')} mx3.unipi.it postfix/postscreen[2536]: WHITELISTED [40.107.21.87]:41590`,
    `${s('53')} mx3.unipi.it postfix/smtpd[25835]: connect from mail-eur05on2087.outbound.protection.outlook.com[40.107.21.87]`,
    `${s('54')} mx3.unipi.it postfix/smtpd[25835]: ${qid}: client=mail-eur05on2087.outbound.protection.outlook.com[40.107.21.87]`,
    `${s('55')} mx3.unipi.it postfix/cleanup[44998]: ${qid}: message-id=<${msgid}>`,
    `${s('55')} mx3.unipi.it postfix/qmgr[2979]: ${qid}: from=<${sender}>, size=222935, nrcpt=1 (queue active)`,
    `${s('55')} mx3.unipi.it postfix/smtpd[25835]: disconnect from mail-eur05on2087.outbound.protection.outlook.com[40.107.21.87] ehlo=2 starttls=1 mail=1 rcpt=1 data=1 quit=1 commands=7`,
    `${s('57')} mx3.unipi.it postfix/smtpd[25838]: connect from localhost[127.0.0.1]`,
    `${s('57')} mx3.unipi.it postfix/smtpd[25838]: ${reQid}: client=localhost[127.0.0.1]`,
    `${s('57')} mx3.unipi.it postfix/cleanup[44998]: ${reQid}: message-id=<${msgid}>`,
    `${s('57')} mx3.unipi.it postfix/qmgr[2979]: ${reQid}: from=<${sender}>, size=223931, nrcpt=1 (queue active)`,
    `${s('57')} mx3.unipi.it postfix/smtpd[25838]: disconnect from localhost[127.0.0.1] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5`,
    `${s('57')} mx3.unipi.it amavis[18421]: (18421-08) Passed CLEAN {RelayedInbound}, [40.107.21.87]:47617 [40.107.21.87] <${sender}> -> <${rcpt}>, Queue-ID: ${qid}, Message-ID: <${msgid}>, mail_id: eZ4eX3FAEUUH, Hits: 1.331, size: 222935, queued_as: ${reQid}, 2341 ms`,
    `${s('57')} mx3.unipi.it postfix/smtp[18438]: ${qid}: to=<${rcpt}>, relay=127.0.0.1[127.0.0.1]:10024, delay=2.82, delays=0.45/0.01/0/2.34, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as ${reQid})`,
    `${s('57')} mx3.unipi.it postfix/qmgr[2979]: ${qid}: removed`,
    `${s('57')} mx3.unipi.it postfix/lmtp[18932]: ${reQid}: to=<${rcpt}>, relay=mbox1.unipi.it[10.1.0.11]:24, delay=0.4, delays=0.19/0.01/0.02/0.18, dsn=2.0.0, status=sent (250 2.0.0 <${rcpt}> 5LBwcacRZw5jweGJ0sm+fz Saved)`,
    `${s('58')} mx3.unipi.it postfix/qmgr[2979]: ${reQid}: removed`,
  ];
}

/** A rejected client whose HELO is a script tag: hostile text that must render as text. */
export function xssReject(t = '05:10'): string[] {
  return [
    `${DAY} ${t}:01 mx1.unipi.it postfix/postscreen[1642]: CONNECT from [203.0.113.66]:40001 to [131.114.21.11]:25`,
    `${DAY} ${t}:02 mx1.unipi.it postfix/postscreen[1642]: PASS NEW [203.0.113.66]:40001`,
    `${DAY} ${t}:02 mx1.unipi.it postfix/smtpd[19028]: connect from unknown[203.0.113.66]`,
    `${DAY} ${t}:03 mx1.unipi.it postfix/smtpd[19028]: NOQUEUE: reject: RCPT from unknown[203.0.113.66]: 504 5.5.2 <${XSS_HELO}>: Helo command rejected: need fully-qualified hostname; from=<attacker@evil.example> to=<antonio.testa@unipi.it> proto=ESMTP helo=<${XSS_HELO}>`,
    `${DAY} ${t}:04 mx1.unipi.it postfix/smtpd[19028]: disconnect from unknown[203.0.113.66] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4`,
  ];
}

/** Bot connections rejected by postscreen, at minute `t` (HH:MM), n of them. */
export function botConnections(t: string, n: number, firstOctet = 198): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const ip = `${firstOctet}.51.100.${(i % 250) + 1}`;
    const port = 30000 + i;
    out.push(`${DAY} ${t}:10 mx2.unipi.it postfix/postscreen[2445]: CONNECT from [${ip}]:${port} to [131.114.21.12]:25`);
    out.push(`${DAY} ${t}:11 mx2.unipi.it postfix/postscreen[2445]: PREGREET 14 after 0.62 from [${ip}]:${port}: EHLO ylmf-pc\\r\\n`);
    out.push(`${DAY} ${t}:11 mx2.unipi.it postfix/postscreen[2445]: DISCONNECT [${ip}]:${port}`);
  }
  return out;
}

export function greylisted(t = '06:20'): string[] {
  return [
    `${DAY} ${t}:06 mx1.unipi.it postfix/smtpd[19030]: NOQUEUE: milter-reject: RCPT from unknown[223.99.161.109]: 451 4.7.1 Greylisting in action, please come back in 00:05:00; from=<support@q8l1g9l.com> to=<webmaster@unipi.it> proto=ESMTP helo=<imx4dojq.net>`,
  ];
}

export function logins(t = '08:25'): string[] {
  return [
    `${DAY} ${t}:25 imap1.unipi.it dovecot: imap-login: proxy(alessandro.grassi@ec.unipi.it): started proxying to 10.1.0.11:143: user=<alessandro.grassi@ec.unipi.it>, method=PLAIN, rip=188.6.17.148, lip=131.114.21.31, TLS, session=<TL8x9UwjMofTgN9A>`,
    `${DAY} ${t}:26 mbox1.unipi.it dovecot: imap-login: Login: user=<alessandro.grassi@ec.unipi.it>, method=PLAIN, rip=188.6.17.148, lip=10.1.0.11, mpid=23885, TLS, session=<TL8x9UwjMofTgN9A>`,
    `${DAY} ${t}:27 imap1.unipi.it dovecot: pop3-login: Disconnected (auth failed, 1 attempts in 3 secs): user=<admin@unipi.it>, method=PLAIN, rip=122.52.239.215, lip=131.114.21.31, TLS, session=<UufW8lIwCbJp07uj>`,
    `${DAY} ${t}:49 smtp-out1.unipi.it postfix/submission/smtpd[33933]: warning: unknown[212.190.222.147]: SASL LOGIN authentication failed: UGFzc3dvcmQ6`,
  ];
}

/** A day's worth of varied traffic for the API tests. */
export function baseDay(): string[] {
  return [...botConnections('01:00', 5), ...inboundMessage(), ...xssReject(), ...greylisted(), ...logins()].sort((a, b) => a.slice(0, 15).localeCompare(b.slice(0, 15)));
}
