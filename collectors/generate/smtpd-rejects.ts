// smtpd sessions without a message: RCPT rejects and greylisting (milter-greylist).
import { B, type Episode } from './episode';
import { botSender, fakeLocal, postscreenPass, randomLocalRcpt } from './shared-steps';
import { type Sender } from './world';

export function smtpdReject(g: Episode, t: number, kind: number): void {
  const r = g.rng;
  const mx = r.pick(g.world.mx);
  const s = kind === 2 && r.chance(0.3) ? r.pick(g.world.senders) : botSender(g);
  let T = postscreenPass(g, mx, t, s.ip, false);
  const sd = g.pf(mx, 'smtpd', g.nextPid(mx));
  const hs = `${s.host}[${s.ip}]`;
  g.push(T, sd, `connect from ${hs}`);
  const from = `${fakeLocal(g)}@${s.domain}`;
  const tail = (to: string, helo = s.helo): string => `from=<${from}> to=<${to}> proto=ESMTP helo=<${helo}>`;
  T += r.range(0.3, 2);
  if (kind === 0) {
    const k = r.chance(0.6) ? 1 : r.intRange(2, 4);
    for (let i = 0; i < k; i++) {
      const to = `${r.pick(['a.rossi', 'admin', 'info', 'segreteria', 'direttore', 'amministrazione', 'm.bianchi', r.alnum(7).toLowerCase()])}@${r.chance(0.7) ? 'unipi.it' : 'dm.unipi.it'}`;
      g.push(T, sd, `NOQUEUE: reject: RCPT from ${hs}: 550 5.1.1 <${to}>: Recipient address rejected: User unknown in virtual mailbox table; ${tail(to)}`, B.rejected);
      T += r.range(0.1, 0.8);
    }
    g.push(T, sd, `disconnect from ${hs} ehlo=1 mail=1 rcpt=0/${k} quit=1 commands=3/${3 + k}`);
  } else if (kind === 1) {
    const to = randomLocalRcpt(g);
    g.push(
      T,
      sd,
      `NOQUEUE: reject: RCPT from ${hs}: 554 5.7.1 Service unavailable; Client host [${s.ip}] blocked using bl.spamcop.net; Blocked - see https://www.spamcop.net/bl.shtml?${s.ip}; ${tail(to)}`,
      B.rejected,
    );
    T += r.range(0.1, 1);
    g.push(T, sd, `lost connection after RCPT from ${hs}`);
    g.push(T, sd, `disconnect from ${hs} ehlo=1 mail=1 rcpt=0/1 commands=2/3`);
  } else if (kind === 2) {
    const to = `${fakeLocal(g)}@${r.pick(['gmail.com', 'yahoo.com', 'hotmail.com', 'mail.ru', 'qq.com'])}`;
    g.push(T, sd, `NOQUEUE: reject: RCPT from ${hs}: 454 4.7.1 <${to}>: Relay access denied; ${tail(to)}`, B.rejected);
    T += r.range(0.1, 1);
    g.push(T, sd, `disconnect from ${hs} ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4`);
  } else if (kind === 3) {
    const helo = r.pick(['localhost', 'User', 'WIN-' + r.alnum(11).toUpperCase(), 'ylmf-pc', 'PC' + r.intRange(1, 99)]);
    const to = randomLocalRcpt(g);
    g.push(T, sd, `NOQUEUE: reject: RCPT from ${hs}: 504 5.5.2 <${helo}>: Helo command rejected: need fully-qualified hostname; ${tail(to, helo)}`, B.rejected);
    T += r.range(0.1, 1);
    g.push(T, sd, `disconnect from ${hs} ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4`);
  } else {
    if (r.chance(0.5)) {
      g.push(T, sd, `lost connection after EHLO from ${hs}`);
      g.push(T, sd, `disconnect from ${hs} ehlo=1 commands=1`);
    } else {
      g.push(T, sd, `disconnect from ${hs} ehlo=1 quit=1 commands=2`);
    }
  }
}

/** A greylisted session: milter-greylist decision, Postfix milter-reject, disconnect. */
export function greySession(g: Episode, t: number, s: Sender, from: string, to: string): void {
  const r = g.rng;
  const mx = r.pick(g.world.mx);
  let T = postscreenPass(g, mx, t, s.ip, false);
  const sd = g.pf(mx, 'smtpd', g.nextPid(mx));
  const hs = `${s.host}[${s.ip}]`;
  g.push(T, sd, `connect from ${hs}`);
  T += r.range(0.3, 2);
  g.push(T, `${mx.name} milter-greylist:`, `(unknown id): addr ${hs} from <${from}> to <${to}> delayed for 00:05:00 (ACL 163)`);
  g.push(
    T + 0.001,
    sd,
    `NOQUEUE: milter-reject: RCPT from ${hs}: 451 4.7.1 Greylisting in action, please come back in 00:05:00; from=<${from}> to=<${to}> proto=ESMTP helo=<${s.helo}>`,
    B.rejected | B.greylisted,
  );
  T += r.range(0.05, 1);
  g.push(T, sd, `disconnect from ${hs} ehlo=2 starttls=1 mail=1 rcpt=0/1 quit=1 commands=5/6`);
}

export function greyOnly(g: Episode, t: number): void {
  const s = botSender(g);
  greySession(g, t, s, `${fakeLocal(g)}@${s.domain}`, randomLocalRcpt(g));
}
