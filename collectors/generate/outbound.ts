// Outbound mail through the SASL relays, and failed SASL logins.
import { B, type Episode, fd, type Group } from './episode';
import { amavisId, newMailId, randomPort } from './shared-steps';
import { botIp, type Mailbox, type Peer } from './world';
import { deliver } from './delivery';
import { ownIp } from './accounts';

export function outbound(g: Episode, t: number, variant: number, planted?: { user: Mailbox; ip: string; n: number }): void {
  const r = g.rng;
  const w = g.world;
  const h = r.pick(w.out);
  const user = planted?.user ?? r.pick(w.mailboxes);
  const ip = planted?.ip ?? ownIp(user, r, 0.7);
  const hs = `unknown[${ip}]`;
  const sub = g.pf(h, 'submission/smtpd', g.nextPid(h));
  const qm = g.pf(h, 'qmgr', h.qmgrPid);
  const n = planted?.n ?? (r.chance(0.85) ? 1 : r.intRange(2, 3));
  const peers: Peer[] = [];
  for (let i = 0; i < n; i++) peers.push(r.pick(w.peers));
  const tos = peers.map((p) => `${r.pick(['info', 'm.rossi', 'segreteria', 'john.smith', 'k.mueller', 'admin', r.alnum(6).toLowerCase()])}${peers.length > 1 ? r.int(99) : ''}@${p.domain}`);
  const q1 = g.qid();
  const mid = `<${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}@unipi.it>`;
  const size = Math.round(1200 + r.exp(60000));
  let T = t;
  g.push(T, sub, `connect from ${hs}`);
  T += r.range(0.3, 2);
  const t0 = T;
  g.push(T, sub, `${q1}: client=${hs}, sasl_method=PLAIN, sasl_username=${user.addr}`);
  T += r.range(0.3, 4);
  g.push(T, g.pf(h, 'cleanup', r.pick(h.cleanup)), `${q1}: message-id=${mid}`);
  T += r.range(0.005, 0.05);
  g.push(T, qm, `${q1}: from=<${user.addr}>, size=${size}, nrcpt=${n} (queue active)`, B.outbound_submitted);
  g.push(T + r.range(0.01, 0.3), sub, `disconnect from ${hs} ehlo=2 starttls=1 auth=1 mail=1 rcpt=${n} data=1 quit=1 commands=${7 + n}`);
  const tq = T;
  const scan = r.range(0.3, 3);
  const tA = tq + 0.02 + scan;
  const am = amavisId(g, h);
  const av = `${h.name} amavis[${am.pid}]:`;
  const list = tos.map((x) => `<${x}>`).join(',');
  const mailId = newMailId(g);
  const ms = Math.round(scan * 1000);
  const cl = `ORIGINATING LOCAL [${ip}]:${randomPort(g)} [${ip}]`;
  const hop = (reply: string): void => {
    const sm = g.pf(h, 'smtp', r.pick(h.smtp));
    for (const x of tos) {
      g.push(tA + 0.01, sm, `${q1}: to=<${x}>, relay=127.0.0.1[127.0.0.1]:10024, delay=${fd(tA + 0.01 - t0)}, delays=${fd(tq - t0)}/0.01/0/${fd(scan)}, dsn=2.0.0, status=sent (${reply})`);
    }
    g.push(tA + 0.02, qm, `${q1}: removed`);
  };
  if (variant === 3) {
    g.push(
      tA,
      av,
      `${am.id} Blocked SPAM {DiscardedOutbound,Quarantined}, ${cl} <${user.addr}> -> ${list}, quarantine: ${mailId[0]!.toLowerCase()}/spam-${mailId}.gz, Queue-ID: ${q1}, Message-ID: ${mid}, mail_id: ${mailId}, Hits: ${r.range(6, 20).toFixed(3)}, size: ${size}, ${ms} ms`,
      B.outbound_spam_blocked,
    );
    hop(`250 2.7.0 Ok, discarded, id=${am.id.slice(1, -1)} - spam`);
    return;
  }
  const q2 = g.qid();
  const sd2 = g.pf(h, 'smtpd', g.nextPid(h));
  const tR = tA - 0.06;
  const size2 = size + 700 + r.int(300);
  g.push(tR - 0.05, sd2, 'connect from localhost[127.0.0.1]');
  g.push(tR - 0.04, sd2, `${q2}: client=localhost[127.0.0.1]`);
  g.push(tR - 0.03, g.pf(h, 'cleanup', r.pick(h.cleanup)), `${q2}: message-id=${mid}`);
  g.push(tR - 0.02, qm, `${q2}: from=<${user.addr}>, size=${size2}, nrcpt=${n} (queue active)`);
  g.push(tR - 0.01, sd2, `disconnect from localhost[127.0.0.1] ehlo=1 mail=1 rcpt=${n} data=1 quit=1 commands=${4 + n}`);
  g.push(
    tA,
    av,
    `${am.id} Passed CLEAN {RelayedOutbound}, ${cl} <${user.addr}> -> ${list}, Queue-ID: ${q1}, Message-ID: ${mid}, mail_id: ${mailId}, Hits: ${r.range(-3, 4).toFixed(3)}, size: ${size}, queued_as: ${q2}, ${ms} ms`,
  );
  hop(`250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as ${q2}`);
  const groups: Group[] = tos.map((to, i) => ({
    type: 'remote',
    mbox: -1,
    rcpts: [],
    to,
    origTo: null,
    peer: peers[i]!,
    deferRounds: variant === 1 && i === 0 ? r.intRange(1, 2) : 0,
    bounce: variant === 2 && i === 0,
  }));
  deliver(g, h, q2, user.addr, size2, n, groups, tA + 0.05, tR - 0.04, mid, false, 'unipi.it');
}

export function saslFail(g: Episode, t: number, plantedIp?: string): void {
  const r = g.rng;
  const h = r.pick(g.world.out);
  const ip = plantedIp ?? botIp(r);
  const sub = g.pf(h, 'submission/smtpd', g.nextPid(h));
  const hs = `unknown[${ip}]`;
  let T = t;
  g.push(T, sub, `connect from ${hs}`);
  const k = r.chance(0.75) ? 1 : r.intRange(2, 3);
  for (let i = 0; i < k; i++) {
    T += r.range(1, 4);
    g.push(T, sub, `warning: ${hs}: SASL LOGIN authentication failed: UGFzc3dvcmQ6`, B.sasl_auth_failures);
  }
  T += r.range(0.1, 1);
  g.push(T, sub, `lost connection after AUTH from ${hs}`);
  g.push(T, sub, `disconnect from ${hs} ehlo=2 starttls=1 auth=0/${k} commands=3/${3 + k}`);
}
