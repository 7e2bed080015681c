// Bots that postscreen stops: DNSBL rejects and drops, pregreeters, hangups, pipeliners.
import { B, type Episode, fd } from './episode';
import { botHelo, botSender, fakeLocal, randomPort, randomLocalRcpt } from './shared-steps';
import { botIp } from './world';

export function bot(g: Episode, t: number, kind: number): void {
  const r = g.rng;
  const mx = r.pick(g.world.mx);
  const ps = g.pf(mx, 'postscreen', mx.postscreenPid);
  const ip = botIp(r);
  const port = randomPort(g);
  const cl = `[${ip}]:${port}`;
  g.push(t, ps, `CONNECT from ${cl} to [${mx.ip}]:25`, B.connections);
  let te = t;
  if (kind <= 1) {
    const lists: Array<[string, string]> = [
      ['zen.spamhaus.org', `127.0.0.${r.pick([2, 3, 4, 4, 4, 10, 11])}`],
      ['b.barracudacentral.org', '127.0.0.2'],
      ['bl.spamcop.net', '127.0.0.2'],
    ];
    const nl = r.intRange(1, 3);
    let rank = 0;
    for (let i = 0; i < nl; i++) {
      const [dom, val] = lists[i]!;
      rank += i === 0 ? 3 : 2;
      g.push(t + r.range(0.02, 0.3), g.pf(mx, 'dnsblog', r.pick(mx.dnsblog)), `addr ${ip} listed by domain ${dom} as ${val}`);
    }
    te = t + (kind === 0 ? r.range(6, 6.4) : r.range(0.3, 6.2));
    g.push(te, ps, `DNSBL rank ${rank} for ${cl}`);
    if (kind === 0) {
      const nr = r.chance(0.2) ? 2 : 1;
      const from = `${fakeLocal(g)}@${botSender(g).domain}`;
      const helo = botHelo(g, ip);
      for (let i = 0; i < nr; i++) {
        te += r.range(0.3, 1.5);
        g.push(
          te,
          ps,
          `NOQUEUE: reject: RCPT from ${cl}: 550 5.7.1 Service unavailable; client [${ip}] blocked using zen.spamhaus.org; from=<${from}>, to=<${randomLocalRcpt(g)}>, proto=ESMTP, helo=<${helo}>`,
          B.rejected,
        );
      }
      te += r.range(0.1, 2);
    }
  } else if (kind === 2) {
    te = t + r.range(0.05, 2);
    const helo = r.chance(0.7) ? 'ylmf-pc' : botHelo(g, ip);
    const txt = `EHLO ${helo}\\r\\n`;
    g.push(te, ps, `PREGREET ${5 + helo.length + 2} after ${fd(te - t)} from ${cl}: ${txt}`);
  } else if (kind === 3) {
    te = t + r.range(0.1, 8);
    g.push(te, ps, `HANGUP after ${fd(te - t)} from ${cl} in tests ${te - t < 6 ? 'before' : 'after'} SMTP handshake`);
  } else {
    te = t + r.range(6.1, 7);
    g.push(te, ps, `COMMAND PIPELINING from ${cl} after EHLO: ${r.chance(0.5) ? 'QUIT' : `MAIL FROM:<${fakeLocal(g)}@${botSender(g).domain}>`}\\r\\n`);
  }
  g.push(te + r.range(0, 0.05), ps, `DISCONNECT ${cl}`);
}
