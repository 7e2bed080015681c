// IMAP and POP3 logins through the Dovecot proxies to the mailbox servers.
import { B, type Episode } from './episode';
import { botIp, type Mailbox } from './world';
import { randomPort } from './shared-steps';
import { ownAddresses, ownIp } from './accounts';

export function login(g: Episode, t: number, proto: 'imap' | 'pop3', ok: boolean, forced?: Mailbox, plantedIp?: string): void {
  const r = g.rng;
  const w = g.world;
  const u = forced ?? w.loginUser(r);
  const px = r.pick(w.proxies);
  const pxHead = `${px.name} dovecot:`;
  const sid = r.b64(16);
  const lg = `${proto}-login:`;
  if (!ok) {
    const bad = plantedIp === undefined && r.chance(0.6);
    const user = bad ? `${r.pick(['admin', 'test', 'info', 'user', 'webmaster', 'postmaster', r.alnum(6).toLowerCase()])}@unipi.it` : u.addr;
    const rip = plantedIp ?? (bad ? botIp(r) : ownAddresses(u)[0]!);
    const k = r.intRange(1, 3);
    g.push(t, pxHead, `${lg} Disconnected (auth failed, ${k} attempts in ${r.intRange(2, 4) * k} secs): user=<${user}>, method=PLAIN, rip=${rip}, lip=${px.ip}, TLS, session=<${sid}>`, B.login_failures);
    return;
  }
  const rip = plantedIp ?? ownIp(u, r, 0.75);
  const mb = w.mboxes[u.mbox]!;
  const port = proto === 'imap' ? 143 : 110;
  if (u.mbox === 0 && g.down(t)) {
    g.push(t, pxHead, `${lg} Error: proxy(${u.addr}): connect(${mb.ip}, ${port}) failed: Connection refused (after 0 secs, local=${px.internal}:${randomPort(g)})`);
    return;
  }
  const mpid = g.nextPid(mb);
  const mbHead = `${mb.name} dovecot:`;
  const tail = `user=<${u.addr}>, method=PLAIN, rip=${rip}`;
  g.push(t, mbHead, `${lg} Login: ${tail}, lip=${mb.ip}, mpid=${mpid}, TLS, session=<${sid}>`);
  g.push(t, pxHead, `${lg} proxy(${u.addr}): started proxying to ${mb.ip}:${port}: ${tail}, lip=${px.ip}, TLS, session=<${sid}>`, proto === 'imap' ? B.imap_logins : B.pop3_logins, null, u.addr);
  let te = t + (proto === 'imap' ? Math.min(14400, 2 + r.exp(900)) : r.range(1, 20));
  const disc = (why: string): void => g.push(te + 0.001, pxHead, `${lg} proxy(${u.addr}): disconnecting ${rip} (${why}): ${tail}, lip=${px.ip}, TLS, session=<${sid}>`);
  if (u.mbox === 0 && g.outage && t < g.outage[0] && te >= g.outage[0]) {
    te = g.outage[0];
    disc('Disconnected by server');
    return;
  }
  if (proto === 'imap') {
    const bc = r.int(30);
    g.push(
      te,
      mbHead,
      `imap(${u.addr})<${mpid}><${sid}>: Logged out in=${r.intRange(100, 20000)} out=${r.intRange(500, 900000)} deleted=${r.int(3)} expunged=${r.int(3)} trashed=0 hdr_count=${r.int(200)} hdr_bytes=${r.int(90000)} body_count=${bc} body_bytes=${bc * r.intRange(2000, 60000)}`,
    );
  } else {
    const n = r.int(6);
    const bytes = n * r.intRange(2000, 80000);
    g.push(te, mbHead, `pop3(${u.addr})<${mpid}><${sid}>: Disconnected: Logged out top=0/0, retr=${n}/${bytes}, del=${n}/${n}, size=${bytes}`);
  }
  disc('Disconnected by server');
}
