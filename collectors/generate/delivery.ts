// Delivery of a queued message: LMTP to the mailbox servers, SMTP to outside peers, with
// deferral rounds, bounces and the non-delivery notification.
import { B, type Episode, fd, type Group } from './episode';
import { botIp, type MboxHost, type MxHost, type Peer } from './world';

function okReply(g: Episode, p: Peer, mid: string, t: number): string {
  const r = g.rng;
  switch (p.kind) {
    case 'gmail':
      return `250 2.0.0 OK  ${Math.floor(t)} ${r.alnum(10).toLowerCase()}.${r.intRange(1, 600)} - gsmtp`;
    case 'outlook':
      return `250 2.6.0 ${mid} [InternalId=${r.intRange(10000000, 99999999)}${r.intRange(1000, 9999)}, Hostname=DB9PR07MB${r.intRange(1000, 9999)}.eurprd07.prod.outlook.com] ${r.intRange(3000, 90000)} bytes in ${fd(r.range(0.05, 0.5))}, ${fd(r.range(20, 900))} KB/sec Queued mail for delivery`;
    case 'yahoo':
      return '250 ok dirdel';
    default:
      return `250 2.0.0 Ok: queued as ${g.qid()}`;
  }
}

/** Delivery attempts of a queue id, in rounds (Postfix retries deferred mail with backoff). */
export function deliver(g: Episode, h: MxHost, q: string, from: string, size: number, nrcpt: number, groups: Group[], start: number, arrive: number, mid: string, inbound: boolean, senderDomain: string): void {
  const r = g.rng;
  const w = g.world;
  const qm = g.pf(h, 'qmgr', h.qmgrPid);
  const msg = { delivered: false };
  const sentBits = inbound ? B.delivered_recipients | B.delivered : 0;
  let a = start;
  let round = 0;
  let pending = groups;
  const bounced: string[] = [];
  let ta = a;
  for (;;) {
    if (round > 0) g.push(a, qm, `${q}: from=<${from}>, size=${size}, nrcpt=${nrcpt} (queue active)`);
    const still: Group[] = [];
    ta = a + 0.01;
    for (const grp of pending) {
      ta += r.range(0.005, 0.05);
      const qd = fd(ta - arrive - 0.01);
      if (grp.type === 'mbox') {
        const mb: MboxHost = w.mboxes[grp.mbox]!;
        const lm = g.pf(h, 'lmtp', r.pick(h.lmtp));
        if (grp.mbox === 0 && g.down(ta)) {
          const why = `connect to ${mb.name}[${mb.ip}]:24: Connection refused`;
          g.push(ta, lm, why);
          for (const x of grp.rcpts) {
            g.push(ta, lm, `${q}: to=<${x.addr}>, relay=none, delay=${fd(ta - arrive)}, delays=${qd}/0.01/0/0, dsn=4.4.1, status=deferred (${why})`, B.deferrals);
          }
          still.push(grp);
        } else {
          const sess = r.b64(22);
          const lpid = r.pick(mb.lmtpPids);
          const conn = r.range(0.003, 0.02);
          const xfer = r.range(0.02, 0.4);
          for (const x of grp.rcpts) {
            g.push(ta + conn + xfer * 0.8, `${mb.name} dovecot:`, `lmtp(${x.addr})<${lpid}><${sess}>: msgid=${mid}: saved mail to INBOX`);
          }
          const td = ta + conn + xfer;
          for (const x of grp.rcpts) {
            g.push(
              td,
              lm,
              `${q}: to=<${x.addr}>, relay=${mb.name}[${mb.ip}]:24, delay=${fd(td - arrive)}, delays=${qd}/0.01/${fd(conn)}/${fd(xfer)}, dsn=2.0.0, status=sent (250 2.0.0 <${x.addr}> ${sess} Saved)`,
              sentBits,
              msg,
              null,
              x.addr,
            );
          }
          ta = td;
        }
      } else {
        const p = grp.peer!;
        const sm = g.pf(h, 'smtp', r.pick(h.smtp));
        const to = `to=<${grp.to}>, ${grp.origTo ? `orig_to=<${grp.origTo}>, ` : ''}`;
        const conn = r.range(0.05, 0.6);
        const xfer = r.range(0.1, 1.5);
        const td = ta + conn + xfer;
        const dl = `delay=${fd(td - arrive)}, delays=${qd}/0.01/${fd(conn)}/${fd(xfer)}`;
        if (round < grp.deferRounds) {
          if (p.kind === 'gmail') {
            g.push(
              td,
              sm,
              `${q}: ${to}relay=${p.host}[${p.ip}]:25, ${dl}, dsn=4.7.28, status=deferred (host ${p.host}[${p.ip}] said: 421-4.7.28 [${h.ip}      15] Our system has detected an unusual rate of 421-4.7.28 unsolicited mail originating from your IP address. To protect our 421-4.7.28 users from spam, mail sent from your IP address has been temporarily 421-4.7.28 rate limited. 421 4.7.28 ${r.alnum(10).toLowerCase()}.${r.intRange(1, 600)} - gsmtp (in reply to end of DATA command))`,
              B.deferrals,
            );
          } else if (p.kind === 'other' && !inbound) {
            g.push(
              td,
              sm,
              `${q}: ${to}relay=${p.host}[${p.ip}]:25, ${dl}, dsn=4.2.0, status=deferred (host ${p.host}[${p.ip}] said: 450 4.2.0 <${grp.to}>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/${p.domain}.html (in reply to RCPT TO command))`,
              B.deferrals,
            );
          } else {
            const tt = ta + 30;
            g.push(
              tt,
              sm,
              `${q}: ${to}relay=none, delay=${fd(tt - arrive)}, delays=${qd}/0.01/30/0, dsn=4.4.1, status=deferred (connect to ${p.host}[${p.ip}]:25: Connection timed out)`,
              B.deferrals,
            );
          }
          still.push(grp);
        } else if (grp.bounce) {
          let reply: string;
          let dsn = '5.1.1';
          if (p.kind === 'gmail') {
            reply = `550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces. For more information, go to 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser ${r.alnum(10).toLowerCase()}.${r.intRange(1, 600)} - gsmtp`;
          } else if (p.kind === 'outlook') {
            dsn = '5.5.0';
            reply = '550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302).';
          } else {
            reply = `550 5.1.1 <${grp.to}>: Recipient address rejected: User unknown in local recipient table`;
          }
          g.push(td, sm, `${q}: ${to}relay=${p.host}[${p.ip}]:25, ${dl}, dsn=${dsn}, status=bounced (host ${p.host}[${p.ip}] said: ${reply} (in reply to RCPT TO command))`, B.bounced);
          bounced.push(grp.to);
        } else {
          g.push(
            td,
            sm,
            `${q}: ${to}relay=${p.host}[${p.ip}]:25, ${dl}, dsn=2.0.0, status=sent (${okReply(g, p, mid, td)})`,
            inbound ? sentBits | B.forwarded_recipients : 0,
            inbound ? msg : null,
          );
        }
        ta = td;
      }
    }
    pending = still;
    if (pending.length === 0) break;
    round++;
    a = Math.max(a + Math.min(4000, 300 * 2 ** (round - 1)) * r.range(1, 1.15), ta + 1);
  }
  let te = ta + r.range(0.01, 0.1);
  if (bounced.length > 0) {
    const q3 = g.qid();
    g.push(te, g.pf(h, 'bounce', r.pick(h.bounce)), `${q}: sender non-delivery notification: ${q3}`);
    g.push(te + 0.001, g.pf(h, 'cleanup', r.pick(h.cleanup)), `${q3}: message-id=<${Math.floor(te)}.${q3}@${h.name}>`);
    g.push(te + 0.002, qm, `${q3}: from=<>, size=${3000 + r.int(4000)}, nrcpt=1 (queue active)`);
    g.push(te + 0.003, qm, `${q}: removed`);
    const t3 = te + r.range(0.3, 2);
    const sm = g.pf(h, 'smtp', r.pick(h.smtp));
    let relay: string;
    let reply: string;
    if (inbound) {
      const p = w.peers.find((x) => x.domain === senderDomain) ?? { host: `mx.${senderDomain}`, ip: botIp(r), domain: senderDomain, kind: 'other' as const };
      relay = `${p.host}[${p.ip}]:25`;
      reply = okReply(g, p, `<${Math.floor(te)}.${q3}@${h.name}>`, t3);
    } else {
      const mx = r.pick(w.mx);
      relay = `${mx.name}[${mx.ip}]:25`;
      reply = `250 2.0.0 Ok: queued as ${g.qid()}`;
    }
    g.push(t3, sm, `${q3}: to=<${from}>, relay=${relay}, delay=${fd(t3 - te)}, delays=0.01/0/${fd((t3 - te) / 3)}/${fd((t3 - te) / 2)}, dsn=2.0.0, status=sent (${reply})`);
    g.push(t3 + 0.01, qm, `${q3}: removed`);
  } else {
    g.push(te, qm, `${q}: removed`);
  }
}
