// Steps several actors share: made-up bot senders and addresses, Amavis ids, and the
// postscreen CONNECT/PASS that precedes every smtpd session.
import { B, type Episode, pad2 } from './episode';
import { botIp, type MxHost, type Sender } from './world';

export function randomPort(g: Episode): number {
  return g.rng.intRange(1025, 65535);
}

export function botSender(g: Episode): Sender {
  const r = g.rng;
  const ip = botIp(r);
  const helo = r.chance(0.5) ? `[${ip}]` : r.chance(0.5) ? `${r.alnum(8).toLowerCase()}.${r.pick(['com', 'net', 'ru', 'cn', 'br', 'info'])}` : 'User';
  return { host: 'unknown', ip, helo, domain: `${r.alnum(7).toLowerCase()}.${r.pick(['com', 'net', 'ru', 'cn', 'top', 'xyz'])}`, whitelisted: false };
}

export function botHelo(g: Episode, ip: string): string {
  const r = g.rng;
  return r.chance(0.5) ? `[${ip}]` : r.chance(0.5) ? `${r.alnum(8).toLowerCase()}.${r.pick(['com', 'net', 'ru', 'cn', 'br', 'info'])}` : 'User';
}

export function fakeLocal(g: Episode): string {
  const r = g.rng;
  return r.pick(['info', 'admin', 'noreply', 'newsletter', 'support', 'sales', 'office', 'marketing', 'no-reply', r.alnum(8).toLowerCase()]);
}

export function randomLocalRcpt(g: Episode): string {
  const r = g.rng;
  return r.chance(0.5) ? r.pick(g.world.mailboxes).addr : `${r.pick(['admin', 'info', 'webmaster', 'test', 'sales', 'contact', 'hr', 'm.rossi', 'g.bianchi', r.alnum(6).toLowerCase()])}@unipi.it`;
}

export function amavisId(g: Episode, h: MxHost): { pid: number; id: string } {
  const a = g.rng.pick(h.amavis);
  a.n++;
  if (a.n > 20) {
    a.pid = g.nextPid(h);
    a.n = 1;
  }
  return { pid: a.pid, id: `(${String(a.pid).padStart(5, '0')}-${pad2(a.n)})` };
}

export function newMailId(g: Episode): string {
  return g.rng.alnum(12);
}

/** postscreen CONNECT + PASS; returns when smtpd takes over. */
export function postscreenPass(g: Episode, mx: MxHost, t: number, ip: string, whitelisted: boolean): number {
  const r = g.rng;
  const ps = g.pf(mx, 'postscreen', mx.postscreenPid);
  const port = randomPort(g);
  g.push(t, ps, `CONNECT from [${ip}]:${port} to [${mx.ip}]:25`, B.connections);
  if (whitelisted && r.chance(0.7)) {
    g.push(t + 0.001, ps, `WHITELISTED [${ip}]:${port}`, B.connections_passed);
    return t + 0.01;
  }
  if (r.chance(0.8)) {
    const tp = t + r.range(0.001, 0.05);
    g.push(tp, ps, `PASS OLD [${ip}]:${port}`, B.connections_passed);
    return tp + 0.01;
  }
  const tp = t + r.range(6, 6.5);
  g.push(tp, ps, `PASS NEW [${ip}]:${port}`, B.connections_passed);
  return tp + 0.01;
}
