// Inbound messages: smtpd, cleanup, qmgr, the Amavis hop and its verdict, then delivery.
import { B, type Episode, fd, type Group, type Rcpt } from './episode';
import { amavisId, botSender, fakeLocal, newMailId, randomPort, postscreenPass } from './shared-steps';
import { greySession } from './smtpd-rejects';
import { deliver } from './delivery';

type Cls = 'clean' | 'spammy' | 'spam' | 'virus' | 'banned';

export function inbound(g: Episode, t: number, cls: Cls, o: { fwdDefer?: boolean; fwdBounce?: boolean; rcpts?: Rcpt[]; noGrey?: boolean } = {}): void {
  const r = g.rng;
  const w = g.world;
  const spammy = cls !== 'clean';
  const s = spammy && r.chance(0.5) ? botSender(g) : r.pick(w.senders);
  const from = cls === 'clean' || cls === 'spammy' ? `${r.pick(['m', 'a', 'g', 'l', 's', 'f', 'c'])}.${r.alnum(6).toLowerCase()}@${s.domain}` : `${fakeLocal(g)}@${s.domain}`;
  const want = o.fwdDefer || o.fwdBounce;
  const rcpts = o.rcpts ?? pickRcpts(g, o.fwdBounce ? 1 : rcptCount(g), !!want);
  const n = rcpts.length;
  let T = t;
  if (!o.noGrey && r.chance(0.13)) {
    greySession(g, T, s, from, rcpts[0]!.addr);
    T += 300 + r.exp(500);
  }
  const mx = r.pick(w.mx);
  T = postscreenPass(g, mx, T, s.ip, s.whitelisted);
  const sd = g.pf(mx, 'smtpd', g.nextPid(mx));
  const qm = g.pf(mx, 'qmgr', mx.qmgrPid);
  const hs = `${s.host}[${s.ip}]`;
  const q1 = g.qid();
  const mid = `<${Math.floor(t).toString(36).toUpperCase()}.${r.alnum(12)}@${s.domain}>`;
  const size = Math.round(1500 + r.exp(spammy ? 8000 : 40000));
  g.push(T, sd, `connect from ${hs}`);
  T += r.range(0.3, 1.5);
  const t0 = T;
  g.push(T, sd, `${q1}: client=${hs}`);
  T += r.range(0.2, 3);
  g.push(T, g.pf(mx, 'cleanup', r.pick(mx.cleanup)), `${q1}: message-id=${mid}`);
  T += r.range(0.005, 0.05);
  g.push(T, qm, `${q1}: from=<${from}>, size=${size}, nrcpt=${n} (queue active)`, B.received);
  g.push(T + r.range(0.01, 0.3), sd, `disconnect from ${hs} ehlo=2 starttls=1 mail=1 rcpt=${n} data=1 quit=1 commands=${6 + n}`);
  const tq = T;
  const scan = cls === 'clean' ? r.range(0.3, 3) : r.range(0.8, 9);
  const tA = tq + 0.02 + scan;
  const am = amavisId(g, mx);
  const av = `${mx.name} amavis[${am.pid}]:`;
  const list = rcpts.map((x) => `<${x.addr}>`).join(',');
  const mailId = newMailId(g);
  const ms = Math.round(scan * 1000);
  const cport = randomPort(g);
  const cl = `[${s.ip}]:${cport} [${s.ip}]`;
  const hop = (reply: string): void => {
    const sm = g.pf(mx, 'smtp', r.pick(mx.smtp));
    for (const x of rcpts) {
      g.push(tA + 0.01, sm, `${q1}: to=<${x.addr}>, relay=127.0.0.1[127.0.0.1]:10024, delay=${fd(tA + 0.01 - t0)}, delays=${fd(tq - t0)}/0.01/0/${fd(scan)}, dsn=2.0.0, status=sent (${reply})`);
    }
    g.push(tA + 0.02, qm, `${q1}: removed`);
  };
  if (cls === 'clean' || cls === 'spammy') {
    const q2 = g.qid();
    const sd2 = g.pf(mx, 'smtpd', g.nextPid(mx));
    const tR = tA - 0.06;
    const size2 = size + 900 + r.int(300);
    g.push(tR - 0.05, sd2, 'connect from localhost[127.0.0.1]');
    g.push(tR - 0.04, sd2, `${q2}: client=localhost[127.0.0.1]`);
    g.push(tR - 0.03, g.pf(mx, 'cleanup', r.pick(mx.cleanup)), `${q2}: message-id=${mid}`);
    g.push(tR - 0.02, qm, `${q2}: from=<${from}>, size=${size2}, nrcpt=${n} (queue active)`);
    g.push(tR - 0.01, sd2, `disconnect from localhost[127.0.0.1] ehlo=1 mail=1 rcpt=${n} data=1 quit=1 commands=${4 + n}`);
    const hits = cls === 'clean' ? (r.chance(0.3) ? -r.range(0, 5) : r.range(0, 4.9)) : r.range(5, 8.99);
    const verdict = cls === 'clean' ? 'Passed CLEAN {RelayedInbound}' : 'Passed SPAMMY {RelayedTaggedInbound}';
    g.push(
      tA,
      av,
      `${am.id} ${verdict}, ${cl} <${from}> -> ${list}, Queue-ID: ${q1}, Message-ID: ${mid}, mail_id: ${mailId}, Hits: ${hits.toFixed(3)}, size: ${size}, queued_as: ${q2}, ${ms} ms`,
      cls === 'clean' ? B.clean : B.spam_tagged,
    );
    hop(`250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as ${q2}`);
    const groups: Group[] = [];
    for (const mb of [0, 1]) {
      const rs = rcpts.filter((x) => x.kind === 'mbox' && x.mb.mbox === mb);
      if (rs.length) groups.push({ type: 'mbox', mbox: mb, rcpts: rs, to: '', origTo: null, peer: null, deferRounds: 0, bounce: false });
    }
    let firstFwd = true;
    for (const x of rcpts) {
      if (x.kind !== 'fwd') continue;
      groups.push({
        type: 'remote',
        mbox: -1,
        rcpts: [x],
        to: x.target,
        origTo: x.addr,
        peer: x.peer,
        deferRounds: firstFwd && o.fwdDefer ? r.intRange(1, 2) : 0,
        bounce: firstFwd && !!o.fwdBounce,
      });
      firstFwd = false;
    }
    deliver(g, mx, q2, from, size2, n, groups, tA + 0.05, tR - 0.04, mid, true, s.domain);
  } else if (cls === 'spam') {
    const hits = r.range(9, 35);
    g.push(
      tA,
      av,
      `${am.id} Blocked SPAM {DiscardedInbound,Quarantined}, ${cl} <${from}> -> ${list}, quarantine: ${mailId[0]!.toLowerCase()}/spam-${mailId}.gz, Queue-ID: ${q1}, Message-ID: ${mid}, mail_id: ${mailId}, Hits: ${hits.toFixed(3)}, size: ${size}, ${ms} ms`,
      B.spam_blocked,
    );
    hop(`250 2.7.0 Ok, discarded, id=${am.id.slice(1, -1)} - spam`);
  } else {
    const what = cls === 'virus' ? 'INFECTED (Eicar-Signature)' : 'BANNED (multipart/mixed | application/x-msdownload,.exe,.exe-ms,fattura.exe)';
    g.push(
      tA,
      av,
      `${am.id} Blocked ${what} {DiscardedInbound,Quarantined}, ${cl} <${from}> -> ${list}, quarantine: ${mailId[0]!.toLowerCase()}/${cls}-${mailId}, Queue-ID: ${q1}, Message-ID: ${mid}, mail_id: ${mailId}, Hits: -, size: ${size}, ${ms} ms`,
      B.virus_blocked,
    );
    hop(`250 2.7.0 Ok, discarded, id=${am.id.slice(1, -1)} - ${cls === 'virus' ? 'INFECTED: Eicar-Signature' : 'BANNED: fattura.exe'}`);
  }
}

export function forcedSplitMessage(g: Episode, t: number): void {
  const w = g.world;
  const m1 = w.mailboxes.filter((m) => m.mbox === 0).slice(1, 3);
  const m2 = w.mailboxes.find((m) => m.mbox === 1)!;
  const rcpts: Rcpt[] = [...m1, m2].map((mb) => ({ kind: 'mbox', addr: mb.addr, mb }));
  inbound(g, t, 'clean', { rcpts, noGrey: true });
}

function pickRcpts(g: Episode, n: number, wantFwd: boolean): Rcpt[] {
  const r = g.rng;
  const w = g.world;
  const out: Rcpt[] = [];
  const seen = new Set<string>();
  for (let i = 0; out.length < n && i < n * 5; i++) {
    const fwd = (wantFwd && out.length === 0) || r.chance(0.25);
    if (fwd) {
      const f = r.pick(w.forwards);
      if (seen.has(f.addr)) continue;
      seen.add(f.addr);
      out.push({ kind: 'fwd', addr: f.addr, target: f.target, peer: f.peer });
    } else {
      const mb = r.pick(w.mailboxes);
      if (seen.has(mb.addr)) continue;
      seen.add(mb.addr);
      out.push({ kind: 'mbox', addr: mb.addr, mb });
    }
  }
  return out;
}

function rcptCount(g: Episode): number {
  const x = g.rng.next();
  return x < 0.78 ? 1 : x < 0.91 ? 2 : x < 0.96 ? 3 : g.rng.intRange(4, 6);
}
