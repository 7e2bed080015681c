// The episode engine: each episode (a bot connection, a message, a login...) pushes its
// future log lines into a min-heap; lines older than the next episode are flushed in time
// order. Truth is counted when (and only if) a line is actually emitted.
import { figureNames, type FigureName, type Figures } from '../../core/rollup/figures';
import { dayBounds, localToUnix } from '../../core/time/local-time';
import { Clock } from './clock';
import { LineHeap, type PendingLine } from './heap';
import { Rng } from './prng';
import { QueueIds, type QueueIdForm } from './queue-ids';
import { MailboxTruthCounter, type MailboxTruth } from './mailbox-truth';
import { ownAddresses, ownIp, plantedAccounts, plantedDay, plantedSignals, type PlantedSignal } from './accounts';
import { SlaOutagePlan } from './sla-outages';
import { botIp, type Mailbox, type MboxHost, type MxHost, type Peer, type Sender, World } from './world';

export interface GenerateOptions {
  /** YYYY-MM-DD, first day (local date in tz) */
  start: string;
  days: number;
  /** 1 = the seed's daily load */
  scale: number;
  /** IANA zone, default Europe/Rome */
  tz: string;
  seed?: number;
  /** default: mbox1 down 20 minutes at 03:00 local time on the first day */
  outagePlan?: 'default' | 'none' | 'sla';
  /** unix seconds: lines after this instant are neither emitted nor counted */
  until?: number;
  /** queue id form of every Postfix host: `short` (default) or `long` (enable_long_queue_ids) */
  queueIds?: QueueIdForm;
  /** plant compromised accounts and attacks (accounts.ts); their signals go in the truth */
  planted?: boolean;
}

export interface GenerateResult {
  lines: number;
  firstAt: number;
  lastAt: number;
  truth: { days: Array<{ date: string } & Figures>; mailboxes: MailboxTruth; signals?: PlantedSignal[] };
}

export type Sink = (line: string) => void | Promise<void>;

// figure bitmask: one bit per figure (31 at most)
if (figureNames.length > 31) throw new Error('generate: too many figures for the bitmask');
const B = Object.fromEntries(figureNames.map((n, i) => [n, 1 << i])) as Record<FigureName, number>;

type Curve = 'bot' | 'mail' | 'human';

interface Kind {
  name: string;
  /** per day at scale 1 */
  perDay: number;
  curve: Curve;
  /** factor on Saturdays and Sundays */
  weekend: number;
  run: (t: number) => void;
}

type Cls = 'clean' | 'spammy' | 'spam' | 'virus' | 'banned';

type Rcpt = { kind: 'mbox'; addr: string; mb: Mailbox } | { kind: 'fwd'; addr: string; target: string; peer: Peer };

interface Group {
  type: 'mbox' | 'remote';
  mbox: number;
  rcpts: Rcpt[];
  /** remote: recipient address, original (orig_to) address */
  to: string;
  origTo: string | null;
  peer: Peer | null;
  deferRounds: number;
  bounce: boolean;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Postfix-style delay number: 0.07, 1.3, 12, 0 */
function fd(x: number): string {
  if (x < 0.005) return '0';
  if (x < 10) return String(Math.round(x * 100) / 100);
  if (x < 100) return String(Math.round(x * 10) / 10);
  return String(Math.round(x));
}

function curveWeights(curve: Curve): Float64Array {
  const w = new Float64Array(1440);
  let max = 0;
  const work = (h: number): number =>
    Math.exp(-(((h - 10.5) / 2.2) ** 2)) + 0.8 * Math.exp(-(((h - 15.5) / 2.5) ** 2)) + 0.25 * Math.exp(-(((h - 21.5) / 1.8) ** 2));
  for (let m = 0; m < 1440; m++) max = Math.max(max, work((m + 0.5) / 60));
  for (let m = 0; m < 1440; m++) {
    const x = work((m + 0.5) / 60) / max;
    w[m] = curve === 'bot' ? 0.75 + 0.25 * x : curve === 'mail' ? 0.12 + x : 0.03 + x;
  }
  const cdf = new Float64Array(1441);
  for (let m = 0; m < 1440; m++) cdf[m + 1] = cdf[m]! + w[m]!;
  for (let m = 0; m <= 1440; m++) cdf[m] = cdf[m]! / cdf[1440]!;
  return cdf;
}

export class Generator {
  private readonly rng: Rng;
  private readonly world: World;
  private readonly clock: Clock;
  private readonly heap = new LineHeap();
  private seq = 0;
  private readonly qids: QueueIds;
  /** time of the latest line scheduled: a new queue id's creation time */
  private lastPushT = 0;
  private readonly truth = new Map<string, Int32Array>();
  private readonly users = new Map<string, Set<string>>();
  private lastDate = '';
  private curTruth: Int32Array | null = null;
  private curUsers: Set<string> | null = null;
  private lines = 0;
  private firstAt = -1;
  private lastAt = -1;
  private outage: [number, number] | null = null;
  /** the `sla` plan (sla-outages.ts): rewrites or drops the lines of daemons it takes down */
  private slaPlan: SlaOutagePlan | null = null;
  private readonly until: number;
  private readonly cdfs: Record<Curve, Float64Array>;
  private readonly kinds: Kind[];
  private readonly mailboxTruth = new MailboxTruthCounter();

  constructor(
    private readonly opts: GenerateOptions,
    private readonly sink: Sink,
  ) {
    this.rng = new Rng(opts.seed ?? 1);
    this.world = new World(this.rng, opts.scale);
    this.clock = new Clock(opts.tz);
    this.qids = new QueueIds(opts.queueIds ?? 'short', opts.seed ?? 1, this.rng.int(2 ** 30) * 1024);
    // The output covers the requested days only: lines of episodes still in flight at the
    // end of the last day are cut there, like `until` (a daily log file ends at midnight).
    const last = new Date(Date.parse(`${opts.start}T00:00:00Z`) + (opts.days - 1) * 86_400_000).toISOString().slice(0, 10);
    const endOfRun = dayBounds(opts.tz, last)[1] - 1;
    this.until = Math.min(opts.until ?? Infinity, endOfRun);
    this.cdfs = { bot: curveWeights('bot'), mail: curveWeights('mail'), human: curveWeights('human') };
    this.kinds = this.defineKinds();
  }

  // ---------------------------------------------------------------- plumbing
  private push(t: number, head: string, msg: string, f = 0, m: { delivered: boolean } | null = null, u: string | null = null, b?: string): void {
    const x: PendingLine = { t, s: this.seq++, head, msg, f, m, u };
    this.lastPushT = t;
    if (b !== undefined) x.b = b;
    this.heap.push(x);
  }

  /** Emits every pending line earlier than T; returns a promise when the sink asks to wait. */
  private flush(T: number): Promise<void> | undefined {
    const h = this.heap;
    while (h.size > 0) {
      if (h.peek()!.t >= T) return undefined;
      const x = h.pop()!;
      const r = this.emit(x);
      if (r) return r;
    }
    return undefined;
  }

  private emit(x: PendingLine): void | Promise<void> {
    const sec = Math.floor(x.t);
    if (sec > this.until) return;
    const c = this.clock;
    c.set(sec);
    if (c.date !== this.lastDate) {
      this.lastDate = c.date;
      let t = this.truth.get(c.date);
      if (!t) {
        t = new Int32Array(figureNames.length);
        this.truth.set(c.date, t);
        this.users.set(c.date, new Set());
      }
      this.curTruth = t;
      this.curUsers = this.users.get(c.date)!;
    }
    if (this.slaPlan) {
      const msg = this.slaPlan.rewrite(x.t, x.head, x.msg);
      if (msg === null) return;
      x.msg = msg;
    }
    let f = x.f;
    if (f !== 0) {
      if (f & B.delivered) {
        if (x.m!.delivered) f &= ~B.delivered;
        else x.m!.delivered = true;
      }
      const tr = this.curTruth!;
      while (f !== 0) {
        const low = f & -f;
        tr[31 - Math.clz32(low)]!++;
        f &= f - 1;
      }
    }
    if (x.u !== null) this.curUsers!.add(x.u);
    if (x.u !== null || x.b !== undefined) this.mailboxTruth.see(c.date, x.b ?? x.u!);
    this.lines++;
    if (this.firstAt < 0) this.firstAt = sec;
    this.lastAt = sec;
    return this.sink(`${c.stamp} ${x.head} ${x.msg}`);
  }

  private qid(): string {
    return this.qids.next(this.lastPushT);
  }

  private down(t: number): boolean {
    return this.outage !== null && t >= this.outage[0] && t < this.outage[1];
  }

  private nextPid(h: { nextPid: number }): number {
    h.nextPid += this.rng.intRange(1, 6);
    if (h.nextPid > 4_190_000) h.nextPid = 1000;
    return h.nextPid;
  }

  private pf(h: { name: string }, prog: string, pid: number): string {
    return `${h.name} postfix/${prog}[${pid}]:`;
  }

  // ---------------------------------------------------------------- main loop
  async run(): Promise<GenerateResult> {
    const { start, days, tz } = this.opts;
    const d0 = Date.parse(`${start}T00:00:00Z`);
    for (let d = 0; d < days; d++) {
      const date = new Date(d0 + d * 86_400_000).toISOString().slice(0, 10);
      const [ds, de] = dayBounds(tz, date);
      if (ds > this.until) break;
      const weekday = new Date(d0 + d * 86_400_000).getUTCDay();
      const weekend = weekday === 0 || weekday === 6;
      const streams: Array<{ times: Float64Array; i: number; run: (t: number) => void }> = [];
      for (const k of this.kinds) {
        const mean = k.perDay * this.opts.scale * (weekend ? k.weekend : 1);
        const n = Math.max(3, Math.round(mean + Math.sqrt(mean) * this.rng.gauss()));
        streams.push({ times: this.sampleTimes(n, this.cdfs[k.curve], ds, de), i: 0, run: k.run });
      }
      if (d === 0 && (this.opts.outagePlan ?? 'default') === 'default') {
        const [y, m, dd] = date.split('-').map(Number) as [number, number, number];
        const s = localToUnix(tz, y, m, dd, 3, 0, 0);
        this.outage = [s, s + 1201];
        const specials: Array<[number, (t: number) => void]> = [
          [s, (t) => this.outageDown(t)],
          [s + 300, (t) => this.forcedSplitMessage(t)],
          [s + 420, (t) => this.login(t, 'imap', true, this.world.mailboxes[0])],
          [s + 1200, (t) => this.outageUp(t)],
        ];
        streams.push({ times: Float64Array.from(specials.map((x) => x[0])), i: 0, run: (t) => specials.find((x) => x[0] === t)![1](t) });
      }
      if (this.opts.planted) streams.push(this.plantedStream(date, d === days - 1));
      if (d === 0 && this.opts.outagePlan === 'sla') {
        this.slaPlan = new SlaOutagePlan(this.world, this.rng, tz, date);
        this.outage = this.slaPlan.mailboxOutage;
        const ev = this.slaPlan.events((t, head, msg) => this.push(t, head, msg)).sort((a, b) => a[0] - b[0]);
        streams.push({ times: Float64Array.from(ev.map((x) => x[0])), i: 0, run: (t) => ev.find((x) => x[0] === t)![1]() });
      }
      for (;;) {
        let best = -1;
        let bt = Infinity;
        for (let j = 0; j < streams.length; j++) {
          const st = streams[j]!;
          if (st.i < st.times.length && st.times[st.i]! < bt) {
            bt = st.times[st.i]!;
            best = j;
          }
        }
        if (best < 0 || bt > this.until) break;
        const st = streams[best]!;
        st.i++;
        let p = this.flush(bt);
        while (p) {
          await p;
          p = this.flush(bt);
        }
        st.run(bt);
      }
    }
    let p = this.flush(Infinity);
    while (p) {
      await p;
      p = this.flush(Infinity);
    }
    return this.result();
  }

  private sampleTimes(n: number, cdf: Float64Array, ds: number, de: number): Float64Array {
    const u = new Float64Array(n);
    for (let i = 0; i < n; i++) u[i] = this.rng.next();
    u.sort();
    const len = de - ds;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const x = u[i]!;
      while (m < 1439 && cdf[m + 1]! <= x) m++;
      const frac = (m + (x - cdf[m]!) / (cdf[m + 1]! - cdf[m]!)) / 1440;
      u[i] = ds + Math.min(frac, 0.999999) * len;
    }
    return u;
  }

  private plantedStream(date: string, last: boolean): { times: Float64Array; i: number; run: (t: number) => void } {
    const hooks = {
      login: (t: number, proto: 'imap' | 'pop3', ok: boolean, user: Mailbox, rip: string) => this.login(t, proto, ok, user, rip),
      submit: (t: number, user: Mailbox, ip: string, n: number, spam: boolean) => this.outbound(t, spam ? 3 : 0, { user, ip, n }),
      saslFail: (t: number, ip: string) => this.saslFail(t, ip),
    };
    const cases = plantedDay(this.opts.tz, date, last, plantedAccounts(this.world.mailboxes), hooks).sort((a, b) => a[0] - b[0]);
    let next = 0;
    return { times: Float64Array.from(cases.map((c) => c[0])), i: 0, run: (t) => cases[next++]![1](t) };
  }

  private result(): GenerateResult {
    const days: Array<{ date: string } & Figures> = [];
    for (const date of [...this.truth.keys()].sort()) {
      const arr = this.truth.get(date)!;
      const f = { date } as { date: string } & Figures;
      figureNames.forEach((n, i) => {
        f[n] = arr[i]!;
      });
      f.unique_users = this.users.get(date)!.size;
      days.push(f);
    }
    const signals = this.opts.planted ? plantedSignals(plantedAccounts(this.world.mailboxes)) : undefined;
    const truth = { days, mailboxes: this.mailboxTruth.result() };
    return { lines: this.lines, firstAt: this.firstAt, lastAt: this.lastAt, truth: signals ? { ...truth, signals } : truth };
  }

  // ---------------------------------------------------------------- catalogue
  private defineKinds(): Kind[] {
    const k = (name: string, perDay: number, curve: Curve, weekend: number, run: (t: number) => void): Kind => ({ name, perDay, curve, weekend, run });
    return [
      k('ps-dnsbl-reject', 150_000, 'bot', 1, (t) => this.bot(t, 0)),
      k('ps-dnsbl-drop', 200_000, 'bot', 1, (t) => this.bot(t, 1)),
      k('ps-pregreet', 250_000, 'bot', 1, (t) => this.bot(t, 2)),
      k('ps-hangup', 250_000, 'bot', 1, (t) => this.bot(t, 3)),
      k('ps-pipelining', 90_000, 'bot', 1, (t) => this.bot(t, 4)),
      k('smtpd-unknown-user', 12_000, 'mail', 1, (t) => this.smtpdReject(t, 0)),
      k('smtpd-rbl', 6_000, 'mail', 1, (t) => this.smtpdReject(t, 1)),
      k('smtpd-relay', 3_000, 'mail', 1, (t) => this.smtpdReject(t, 2)),
      k('smtpd-helo', 2_500, 'mail', 1, (t) => this.smtpdReject(t, 3)),
      k('smtpd-nomail', 8_000, 'mail', 1, (t) => this.smtpdReject(t, 4)),
      k('greylist-only', 5_500, 'mail', 1, (t) => this.greyOnly(t)),
      k('msg-clean', 13_850, 'mail', 1, (t) => this.inbound(t, 'clean')),
      k('msg-spammy', 2_000, 'mail', 1, (t) => this.inbound(t, 'spammy')),
      k('msg-spam', 2_500, 'mail', 1, (t) => this.inbound(t, 'spam')),
      k('msg-virus', 15, 'mail', 1, (t) => this.inbound(t, 'virus')),
      k('msg-banned', 10, 'mail', 1, (t) => this.inbound(t, 'banned')),
      k('msg-fwd-defer', 150, 'mail', 1, (t) => this.inbound(t, 'clean', { fwdDefer: true })),
      k('msg-fwd-bounce', 50, 'mail', 1, (t) => this.inbound(t, 'clean', { fwdBounce: true })),
      k('out-ok', 3_000, 'human', 0.4, (t) => this.outbound(t, 0)),
      k('out-defer', 90, 'human', 0.4, (t) => this.outbound(t, 1)),
      k('out-bounce', 30, 'human', 0.4, (t) => this.outbound(t, 2)),
      k('out-spam', 40, 'bot', 1, (t) => this.outbound(t, 3)),
      k('sasl-fail', 500, 'bot', 1, (t) => this.saslFail(t)),
      k('imap-ok', 40_000, 'human', 0.45, (t) => this.login(t, 'imap', true)),
      k('pop3-ok', 3_000, 'human', 0.45, (t) => this.login(t, 'pop3', true)),
      k('imap-fail', 250, 'bot', 1, (t) => this.login(t, 'imap', false)),
      k('pop3-fail', 50, 'bot', 1, (t) => this.login(t, 'pop3', false)),
    ];
  }

  // ---------------------------------------------------------------- helpers
  private port(): number {
    return this.rng.intRange(1025, 65535);
  }

  private botSender(): Sender {
    const r = this.rng;
    const ip = botIp(r);
    const helo = r.chance(0.5) ? `[${ip}]` : r.chance(0.5) ? `${r.alnum(8).toLowerCase()}.${r.pick(['com', 'net', 'ru', 'cn', 'br', 'info'])}` : 'User';
    return { host: 'unknown', ip, helo, domain: `${r.alnum(7).toLowerCase()}.${r.pick(['com', 'net', 'ru', 'cn', 'top', 'xyz'])}`, whitelisted: false };
  }

  private botHelo(ip: string): string {
    const r = this.rng;
    return r.chance(0.5) ? `[${ip}]` : r.chance(0.5) ? `${r.alnum(8).toLowerCase()}.${r.pick(['com', 'net', 'ru', 'cn', 'br', 'info'])}` : 'User';
  }

  private fakeLocal(): string {
    const r = this.rng;
    return r.pick(['info', 'admin', 'noreply', 'newsletter', 'support', 'sales', 'office', 'marketing', 'no-reply', r.alnum(8).toLowerCase()]);
  }

  private randomLocalRcpt(): string {
    const r = this.rng;
    return r.chance(0.5) ? r.pick(this.world.mailboxes).addr : `${r.pick(['admin', 'info', 'webmaster', 'test', 'sales', 'contact', 'hr', 'm.rossi', 'g.bianchi', r.alnum(6).toLowerCase()])}@unipi.it`;
  }

  private pickRcpts(n: number, wantFwd: boolean): Rcpt[] {
    const r = this.rng;
    const w = this.world;
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

  private rcptCount(): number {
    const x = this.rng.next();
    return x < 0.78 ? 1 : x < 0.91 ? 2 : x < 0.96 ? 3 : this.rng.intRange(4, 6);
  }

  private amavisId(h: MxHost): { pid: number; id: string } {
    const a = this.rng.pick(h.amavis);
    a.n++;
    if (a.n > 20) {
      a.pid = this.nextPid(h);
      a.n = 1;
    }
    return { pid: a.pid, id: `(${String(a.pid).padStart(5, '0')}-${pad2(a.n)})` };
  }

  private mailId(): string {
    return this.rng.alnum(12);
  }

  /** postscreen CONNECT + PASS; returns when smtpd takes over. */
  private postscreenPass(mx: MxHost, t: number, ip: string, whitelisted: boolean): number {
    const r = this.rng;
    const ps = this.pf(mx, 'postscreen', mx.postscreenPid);
    const port = this.port();
    this.push(t, ps, `CONNECT from [${ip}]:${port} to [${mx.ip}]:25`, B.connections);
    if (whitelisted && r.chance(0.7)) {
      this.push(t + 0.001, ps, `WHITELISTED [${ip}]:${port}`, B.connections_passed);
      return t + 0.01;
    }
    if (r.chance(0.8)) {
      const tp = t + r.range(0.001, 0.05);
      this.push(tp, ps, `PASS OLD [${ip}]:${port}`, B.connections_passed);
      return tp + 0.01;
    }
    const tp = t + r.range(6, 6.5);
    this.push(tp, ps, `PASS NEW [${ip}]:${port}`, B.connections_passed);
    return tp + 0.01;
  }

  // ---------------------------------------------------------------- bots at postscreen
  private bot(t: number, kind: number): void {
    const r = this.rng;
    const mx = r.pick(this.world.mx);
    const ps = this.pf(mx, 'postscreen', mx.postscreenPid);
    const ip = botIp(r);
    const port = this.port();
    const cl = `[${ip}]:${port}`;
    this.push(t, ps, `CONNECT from ${cl} to [${mx.ip}]:25`, B.connections);
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
        this.push(t + r.range(0.02, 0.3), this.pf(mx, 'dnsblog', r.pick(mx.dnsblog)), `addr ${ip} listed by domain ${dom} as ${val}`);
      }
      te = t + (kind === 0 ? r.range(6, 6.4) : r.range(0.3, 6.2));
      this.push(te, ps, `DNSBL rank ${rank} for ${cl}`);
      if (kind === 0) {
        const nr = r.chance(0.2) ? 2 : 1;
        const from = `${this.fakeLocal()}@${this.botSender().domain}`;
        const helo = this.botHelo(ip);
        for (let i = 0; i < nr; i++) {
          te += r.range(0.3, 1.5);
          this.push(
            te,
            ps,
            `NOQUEUE: reject: RCPT from ${cl}: 550 5.7.1 Service unavailable; client [${ip}] blocked using zen.spamhaus.org; from=<${from}>, to=<${this.randomLocalRcpt()}>, proto=ESMTP, helo=<${helo}>`,
            B.rejected,
          );
        }
        te += r.range(0.1, 2);
      }
    } else if (kind === 2) {
      te = t + r.range(0.05, 2);
      const helo = r.chance(0.7) ? 'ylmf-pc' : this.botHelo(ip);
      const txt = `EHLO ${helo}\\r\\n`;
      this.push(te, ps, `PREGREET ${5 + helo.length + 2} after ${fd(te - t)} from ${cl}: ${txt}`);
    } else if (kind === 3) {
      te = t + r.range(0.1, 8);
      this.push(te, ps, `HANGUP after ${fd(te - t)} from ${cl} in tests ${te - t < 6 ? 'before' : 'after'} SMTP handshake`);
    } else {
      te = t + r.range(6.1, 7);
      this.push(te, ps, `COMMAND PIPELINING from ${cl} after EHLO: ${r.chance(0.5) ? 'QUIT' : `MAIL FROM:<${this.fakeLocal()}@${this.botSender().domain}>`}\\r\\n`);
    }
    this.push(te + r.range(0, 0.05), ps, `DISCONNECT ${cl}`);
  }

  // ---------------------------------------------------------------- smtpd sessions without a message
  private smtpdReject(t: number, kind: number): void {
    const r = this.rng;
    const mx = r.pick(this.world.mx);
    const s = kind === 2 && r.chance(0.3) ? r.pick(this.world.senders) : this.botSender();
    let T = this.postscreenPass(mx, t, s.ip, false);
    const sd = this.pf(mx, 'smtpd', this.nextPid(mx));
    const hs = `${s.host}[${s.ip}]`;
    this.push(T, sd, `connect from ${hs}`);
    const from = `${this.fakeLocal()}@${s.domain}`;
    const tail = (to: string, helo = s.helo): string => `from=<${from}> to=<${to}> proto=ESMTP helo=<${helo}>`;
    T += r.range(0.3, 2);
    if (kind === 0) {
      const k = r.chance(0.6) ? 1 : r.intRange(2, 4);
      for (let i = 0; i < k; i++) {
        const to = `${r.pick(['a.rossi', 'admin', 'info', 'segreteria', 'direttore', 'amministrazione', 'm.bianchi', r.alnum(7).toLowerCase()])}@${r.chance(0.7) ? 'unipi.it' : 'dm.unipi.it'}`;
        this.push(T, sd, `NOQUEUE: reject: RCPT from ${hs}: 550 5.1.1 <${to}>: Recipient address rejected: User unknown in virtual mailbox table; ${tail(to)}`, B.rejected);
        T += r.range(0.1, 0.8);
      }
      this.push(T, sd, `disconnect from ${hs} ehlo=1 mail=1 rcpt=0/${k} quit=1 commands=3/${3 + k}`);
    } else if (kind === 1) {
      const to = this.randomLocalRcpt();
      this.push(
        T,
        sd,
        `NOQUEUE: reject: RCPT from ${hs}: 554 5.7.1 Service unavailable; Client host [${s.ip}] blocked using bl.spamcop.net; Blocked - see https://www.spamcop.net/bl.shtml?${s.ip}; ${tail(to)}`,
        B.rejected,
      );
      T += r.range(0.1, 1);
      this.push(T, sd, `lost connection after RCPT from ${hs}`);
      this.push(T, sd, `disconnect from ${hs} ehlo=1 mail=1 rcpt=0/1 commands=2/3`);
    } else if (kind === 2) {
      const to = `${this.fakeLocal()}@${r.pick(['gmail.com', 'yahoo.com', 'hotmail.com', 'mail.ru', 'qq.com'])}`;
      this.push(T, sd, `NOQUEUE: reject: RCPT from ${hs}: 454 4.7.1 <${to}>: Relay access denied; ${tail(to)}`, B.rejected);
      T += r.range(0.1, 1);
      this.push(T, sd, `disconnect from ${hs} ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4`);
    } else if (kind === 3) {
      const helo = r.pick(['localhost', 'User', 'WIN-' + r.alnum(11).toUpperCase(), 'ylmf-pc', 'PC' + r.intRange(1, 99)]);
      const to = this.randomLocalRcpt();
      this.push(T, sd, `NOQUEUE: reject: RCPT from ${hs}: 504 5.5.2 <${helo}>: Helo command rejected: need fully-qualified hostname; ${tail(to, helo)}`, B.rejected);
      T += r.range(0.1, 1);
      this.push(T, sd, `disconnect from ${hs} ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4`);
    } else {
      if (r.chance(0.5)) {
        this.push(T, sd, `lost connection after EHLO from ${hs}`);
        this.push(T, sd, `disconnect from ${hs} ehlo=1 commands=1`);
      } else {
        this.push(T, sd, `disconnect from ${hs} ehlo=1 quit=1 commands=2`);
      }
    }
  }

  /** A greylisted session: milter-greylist decision, Postfix milter-reject, disconnect. */
  private greySession(t: number, s: Sender, from: string, to: string): void {
    const r = this.rng;
    const mx = r.pick(this.world.mx);
    let T = this.postscreenPass(mx, t, s.ip, false);
    const sd = this.pf(mx, 'smtpd', this.nextPid(mx));
    const hs = `${s.host}[${s.ip}]`;
    this.push(T, sd, `connect from ${hs}`);
    T += r.range(0.3, 2);
    this.push(T, `${mx.name} milter-greylist:`, `(unknown id): addr ${hs} from <${from}> to <${to}> delayed for 00:05:00 (ACL 163)`);
    this.push(
      T + 0.001,
      sd,
      `NOQUEUE: milter-reject: RCPT from ${hs}: 451 4.7.1 Greylisting in action, please come back in 00:05:00; from=<${from}> to=<${to}> proto=ESMTP helo=<${s.helo}>`,
      B.rejected | B.greylisted,
    );
    T += r.range(0.05, 1);
    this.push(T, sd, `disconnect from ${hs} ehlo=2 starttls=1 mail=1 rcpt=0/1 quit=1 commands=5/6`);
  }

  private greyOnly(t: number): void {
    const s = this.botSender();
    this.greySession(t, s, `${this.fakeLocal()}@${s.domain}`, this.randomLocalRcpt());
  }

  // ---------------------------------------------------------------- inbound messages
  private inbound(t: number, cls: Cls, o: { fwdDefer?: boolean; fwdBounce?: boolean; rcpts?: Rcpt[]; noGrey?: boolean } = {}): void {
    const r = this.rng;
    const w = this.world;
    const spammy = cls !== 'clean';
    const s = spammy && r.chance(0.5) ? this.botSender() : r.pick(w.senders);
    const from = cls === 'clean' || cls === 'spammy' ? `${r.pick(['m', 'a', 'g', 'l', 's', 'f', 'c'])}.${r.alnum(6).toLowerCase()}@${s.domain}` : `${this.fakeLocal()}@${s.domain}`;
    const want = o.fwdDefer || o.fwdBounce;
    const rcpts = o.rcpts ?? this.pickRcpts(o.fwdBounce ? 1 : this.rcptCount(), !!want);
    const n = rcpts.length;
    let T = t;
    if (!o.noGrey && r.chance(0.13)) {
      this.greySession(T, s, from, rcpts[0]!.addr);
      T += 300 + r.exp(500);
    }
    const mx = r.pick(w.mx);
    T = this.postscreenPass(mx, T, s.ip, s.whitelisted);
    const sd = this.pf(mx, 'smtpd', this.nextPid(mx));
    const qm = this.pf(mx, 'qmgr', mx.qmgrPid);
    const hs = `${s.host}[${s.ip}]`;
    const q1 = this.qid();
    const mid = `<${Math.floor(t).toString(36).toUpperCase()}.${r.alnum(12)}@${s.domain}>`;
    const size = Math.round(1500 + r.exp(spammy ? 8000 : 40000));
    this.push(T, sd, `connect from ${hs}`);
    T += r.range(0.3, 1.5);
    const t0 = T;
    this.push(T, sd, `${q1}: client=${hs}`);
    T += r.range(0.2, 3);
    this.push(T, this.pf(mx, 'cleanup', r.pick(mx.cleanup)), `${q1}: message-id=${mid}`);
    T += r.range(0.005, 0.05);
    this.push(T, qm, `${q1}: from=<${from}>, size=${size}, nrcpt=${n} (queue active)`, B.received);
    this.push(T + r.range(0.01, 0.3), sd, `disconnect from ${hs} ehlo=2 starttls=1 mail=1 rcpt=${n} data=1 quit=1 commands=${6 + n}`);
    const tq = T;
    const scan = cls === 'clean' ? r.range(0.3, 3) : r.range(0.8, 9);
    const tA = tq + 0.02 + scan;
    const am = this.amavisId(mx);
    const av = `${mx.name} amavis[${am.pid}]:`;
    const list = rcpts.map((x) => `<${x.addr}>`).join(',');
    const mailId = this.mailId();
    const ms = Math.round(scan * 1000);
    const cport = this.port();
    const cl = `[${s.ip}]:${cport} [${s.ip}]`;
    const hop = (reply: string): void => {
      const sm = this.pf(mx, 'smtp', r.pick(mx.smtp));
      for (const x of rcpts) {
        this.push(tA + 0.01, sm, `${q1}: to=<${x.addr}>, relay=127.0.0.1[127.0.0.1]:10024, delay=${fd(tA + 0.01 - t0)}, delays=${fd(tq - t0)}/0.01/0/${fd(scan)}, dsn=2.0.0, status=sent (${reply})`);
      }
      this.push(tA + 0.02, qm, `${q1}: removed`);
    };
    if (cls === 'clean' || cls === 'spammy') {
      const q2 = this.qid();
      const sd2 = this.pf(mx, 'smtpd', this.nextPid(mx));
      const tR = tA - 0.06;
      const size2 = size + 900 + r.int(300);
      this.push(tR - 0.05, sd2, 'connect from localhost[127.0.0.1]');
      this.push(tR - 0.04, sd2, `${q2}: client=localhost[127.0.0.1]`);
      this.push(tR - 0.03, this.pf(mx, 'cleanup', r.pick(mx.cleanup)), `${q2}: message-id=${mid}`);
      this.push(tR - 0.02, qm, `${q2}: from=<${from}>, size=${size2}, nrcpt=${n} (queue active)`);
      this.push(tR - 0.01, sd2, `disconnect from localhost[127.0.0.1] ehlo=1 mail=1 rcpt=${n} data=1 quit=1 commands=${4 + n}`);
      const hits = cls === 'clean' ? (r.chance(0.3) ? -r.range(0, 5) : r.range(0, 4.9)) : r.range(5, 8.99);
      const verdict = cls === 'clean' ? 'Passed CLEAN {RelayedInbound}' : 'Passed SPAMMY {RelayedTaggedInbound}';
      this.push(
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
      this.deliver(mx, q2, from, size2, n, groups, tA + 0.05, tR - 0.04, mid, true, s.domain);
    } else if (cls === 'spam') {
      const hits = r.range(9, 35);
      this.push(
        tA,
        av,
        `${am.id} Blocked SPAM {DiscardedInbound,Quarantined}, ${cl} <${from}> -> ${list}, quarantine: ${mailId[0]!.toLowerCase()}/spam-${mailId}.gz, Queue-ID: ${q1}, Message-ID: ${mid}, mail_id: ${mailId}, Hits: ${hits.toFixed(3)}, size: ${size}, ${ms} ms`,
        B.spam_blocked,
      );
      hop(`250 2.7.0 Ok, discarded, id=${am.id.slice(1, -1)} - spam`);
    } else {
      const what = cls === 'virus' ? 'INFECTED (Eicar-Signature)' : 'BANNED (multipart/mixed | application/x-msdownload,.exe,.exe-ms,fattura.exe)';
      this.push(
        tA,
        av,
        `${am.id} Blocked ${what} {DiscardedInbound,Quarantined}, ${cl} <${from}> -> ${list}, quarantine: ${mailId[0]!.toLowerCase()}/${cls}-${mailId}, Queue-ID: ${q1}, Message-ID: ${mid}, mail_id: ${mailId}, Hits: -, size: ${size}, ${ms} ms`,
        B.virus_blocked,
      );
      hop(`250 2.7.0 Ok, discarded, id=${am.id.slice(1, -1)} - ${cls === 'virus' ? 'INFECTED: Eicar-Signature' : 'BANNED: fattura.exe'}`);
    }
  }

  private forcedSplitMessage(t: number): void {
    const w = this.world;
    const m1 = w.mailboxes.filter((m) => m.mbox === 0).slice(1, 3);
    const m2 = w.mailboxes.find((m) => m.mbox === 1)!;
    const rcpts: Rcpt[] = [...m1, m2].map((mb) => ({ kind: 'mbox', addr: mb.addr, mb }));
    this.inbound(t, 'clean', { rcpts, noGrey: true });
  }

  private okReply(p: Peer, mid: string, t: number): string {
    const r = this.rng;
    switch (p.kind) {
      case 'gmail':
        return `250 2.0.0 OK  ${Math.floor(t)} ${r.alnum(10).toLowerCase()}.${r.intRange(1, 600)} - gsmtp`;
      case 'outlook':
        return `250 2.6.0 ${mid} [InternalId=${r.intRange(10000000, 99999999)}${r.intRange(1000, 9999)}, Hostname=DB9PR07MB${r.intRange(1000, 9999)}.eurprd07.prod.outlook.com] ${r.intRange(3000, 90000)} bytes in ${fd(r.range(0.05, 0.5))}, ${fd(r.range(20, 900))} KB/sec Queued mail for delivery`;
      case 'yahoo':
        return '250 ok dirdel';
      default:
        return `250 2.0.0 Ok: queued as ${this.qid()}`;
    }
  }

  /** Delivery attempts of a queue id, in rounds (Postfix retries deferred mail with backoff). */
  private deliver(h: MxHost, q: string, from: string, size: number, nrcpt: number, groups: Group[], start: number, arrive: number, mid: string, inbound: boolean, senderDomain: string): void {
    const r = this.rng;
    const w = this.world;
    const qm = this.pf(h, 'qmgr', h.qmgrPid);
    const msg = { delivered: false };
    const sentBits = inbound ? B.delivered_recipients | B.delivered : 0;
    let a = start;
    let round = 0;
    let pending = groups;
    const bounced: string[] = [];
    let ta = a;
    for (;;) {
      if (round > 0) this.push(a, qm, `${q}: from=<${from}>, size=${size}, nrcpt=${nrcpt} (queue active)`);
      const still: Group[] = [];
      ta = a + 0.01;
      for (const g of pending) {
        ta += r.range(0.005, 0.05);
        const qd = fd(ta - arrive - 0.01);
        if (g.type === 'mbox') {
          const mb: MboxHost = w.mboxes[g.mbox]!;
          const lm = this.pf(h, 'lmtp', r.pick(h.lmtp));
          if (g.mbox === 0 && this.down(ta)) {
            const why = `connect to ${mb.name}[${mb.ip}]:24: Connection refused`;
            this.push(ta, lm, why);
            for (const x of g.rcpts) {
              this.push(ta, lm, `${q}: to=<${x.addr}>, relay=none, delay=${fd(ta - arrive)}, delays=${qd}/0.01/0/0, dsn=4.4.1, status=deferred (${why})`, B.deferrals);
            }
            still.push(g);
          } else {
            const sess = r.b64(22);
            const lpid = r.pick(mb.lmtpPids);
            const conn = r.range(0.003, 0.02);
            const xfer = r.range(0.02, 0.4);
            for (const x of g.rcpts) {
              this.push(ta + conn + xfer * 0.8, `${mb.name} dovecot:`, `lmtp(${x.addr})<${lpid}><${sess}>: msgid=${mid}: saved mail to INBOX`);
            }
            const td = ta + conn + xfer;
            for (const x of g.rcpts) {
              this.push(
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
          const p = g.peer!;
          const sm = this.pf(h, 'smtp', r.pick(h.smtp));
          const to = `to=<${g.to}>, ${g.origTo ? `orig_to=<${g.origTo}>, ` : ''}`;
          const conn = r.range(0.05, 0.6);
          const xfer = r.range(0.1, 1.5);
          const td = ta + conn + xfer;
          const dl = `delay=${fd(td - arrive)}, delays=${qd}/0.01/${fd(conn)}/${fd(xfer)}`;
          if (round < g.deferRounds) {
            if (p.kind === 'gmail') {
              this.push(
                td,
                sm,
                `${q}: ${to}relay=${p.host}[${p.ip}]:25, ${dl}, dsn=4.7.28, status=deferred (host ${p.host}[${p.ip}] said: 421-4.7.28 [${h.ip}      15] Our system has detected an unusual rate of 421-4.7.28 unsolicited mail originating from your IP address. To protect our 421-4.7.28 users from spam, mail sent from your IP address has been temporarily 421-4.7.28 rate limited. 421 4.7.28 ${r.alnum(10).toLowerCase()}.${r.intRange(1, 600)} - gsmtp (in reply to end of DATA command))`,
                B.deferrals,
              );
            } else if (p.kind === 'other' && !inbound) {
              this.push(
                td,
                sm,
                `${q}: ${to}relay=${p.host}[${p.ip}]:25, ${dl}, dsn=4.2.0, status=deferred (host ${p.host}[${p.ip}] said: 450 4.2.0 <${g.to}>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/${p.domain}.html (in reply to RCPT TO command))`,
                B.deferrals,
              );
            } else {
              const tt = ta + 30;
              this.push(
                tt,
                sm,
                `${q}: ${to}relay=none, delay=${fd(tt - arrive)}, delays=${qd}/0.01/30/0, dsn=4.4.1, status=deferred (connect to ${p.host}[${p.ip}]:25: Connection timed out)`,
                B.deferrals,
              );
            }
            still.push(g);
          } else if (g.bounce) {
            let reply: string;
            let dsn = '5.1.1';
            if (p.kind === 'gmail') {
              reply = `550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces. For more information, go to 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser ${r.alnum(10).toLowerCase()}.${r.intRange(1, 600)} - gsmtp`;
            } else if (p.kind === 'outlook') {
              dsn = '5.5.0';
              reply = '550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302).';
            } else {
              reply = `550 5.1.1 <${g.to}>: Recipient address rejected: User unknown in local recipient table`;
            }
            this.push(td, sm, `${q}: ${to}relay=${p.host}[${p.ip}]:25, ${dl}, dsn=${dsn}, status=bounced (host ${p.host}[${p.ip}] said: ${reply} (in reply to RCPT TO command))`, B.bounced);
            bounced.push(g.to);
          } else {
            this.push(
              td,
              sm,
              `${q}: ${to}relay=${p.host}[${p.ip}]:25, ${dl}, dsn=2.0.0, status=sent (${this.okReply(p, mid, td)})`,
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
      const q3 = this.qid();
      this.push(te, this.pf(h, 'bounce', r.pick(h.bounce)), `${q}: sender non-delivery notification: ${q3}`);
      this.push(te + 0.001, this.pf(h, 'cleanup', r.pick(h.cleanup)), `${q3}: message-id=<${Math.floor(te)}.${q3}@${h.name}>`);
      this.push(te + 0.002, qm, `${q3}: from=<>, size=${3000 + r.int(4000)}, nrcpt=1 (queue active)`);
      this.push(te + 0.003, qm, `${q}: removed`);
      const t3 = te + r.range(0.3, 2);
      const sm = this.pf(h, 'smtp', r.pick(h.smtp));
      let relay: string;
      let reply: string;
      if (inbound) {
        const p = w.peers.find((x) => x.domain === senderDomain) ?? { host: `mx.${senderDomain}`, ip: botIp(r), domain: senderDomain, kind: 'other' as const };
        relay = `${p.host}[${p.ip}]:25`;
        reply = this.okReply(p, `<${Math.floor(te)}.${q3}@${h.name}>`, t3);
      } else {
        const mx = r.pick(w.mx);
        relay = `${mx.name}[${mx.ip}]:25`;
        reply = `250 2.0.0 Ok: queued as ${this.qid()}`;
      }
      this.push(t3, sm, `${q3}: to=<${from}>, relay=${relay}, delay=${fd(t3 - te)}, delays=0.01/0/${fd((t3 - te) / 3)}/${fd((t3 - te) / 2)}, dsn=2.0.0, status=sent (${reply})`);
      this.push(t3 + 0.01, qm, `${q3}: removed`);
    } else {
      this.push(te, qm, `${q}: removed`);
    }
  }

  // ---------------------------------------------------------------- outbound
  private outbound(t: number, variant: number, planted?: { user: Mailbox; ip: string; n: number }): void {
    const r = this.rng;
    const w = this.world;
    const h = r.pick(w.out);
    const user = planted?.user ?? r.pick(w.mailboxes);
    const ip = planted?.ip ?? ownIp(user, r, 0.7);
    const hs = `unknown[${ip}]`;
    const sub = this.pf(h, 'submission/smtpd', this.nextPid(h));
    const qm = this.pf(h, 'qmgr', h.qmgrPid);
    const n = planted?.n ?? (r.chance(0.85) ? 1 : r.intRange(2, 3));
    const peers: Peer[] = [];
    for (let i = 0; i < n; i++) peers.push(r.pick(w.peers));
    const tos = peers.map((p) => `${r.pick(['info', 'm.rossi', 'segreteria', 'john.smith', 'k.mueller', 'admin', r.alnum(6).toLowerCase()])}${peers.length > 1 ? r.int(99) : ''}@${p.domain}`);
    const q1 = this.qid();
    const mid = `<${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}@unipi.it>`;
    const size = Math.round(1200 + r.exp(60000));
    let T = t;
    this.push(T, sub, `connect from ${hs}`);
    T += r.range(0.3, 2);
    const t0 = T;
    this.push(T, sub, `${q1}: client=${hs}, sasl_method=PLAIN, sasl_username=${user.addr}`);
    T += r.range(0.3, 4);
    this.push(T, this.pf(h, 'cleanup', r.pick(h.cleanup)), `${q1}: message-id=${mid}`);
    T += r.range(0.005, 0.05);
    this.push(T, qm, `${q1}: from=<${user.addr}>, size=${size}, nrcpt=${n} (queue active)`, B.outbound_submitted);
    this.push(T + r.range(0.01, 0.3), sub, `disconnect from ${hs} ehlo=2 starttls=1 auth=1 mail=1 rcpt=${n} data=1 quit=1 commands=${7 + n}`);
    const tq = T;
    const scan = r.range(0.3, 3);
    const tA = tq + 0.02 + scan;
    const am = this.amavisId(h);
    const av = `${h.name} amavis[${am.pid}]:`;
    const list = tos.map((x) => `<${x}>`).join(',');
    const mailId = this.mailId();
    const ms = Math.round(scan * 1000);
    const cl = `ORIGINATING LOCAL [${ip}]:${this.port()} [${ip}]`;
    const hop = (reply: string): void => {
      const sm = this.pf(h, 'smtp', r.pick(h.smtp));
      for (const x of tos) {
        this.push(tA + 0.01, sm, `${q1}: to=<${x}>, relay=127.0.0.1[127.0.0.1]:10024, delay=${fd(tA + 0.01 - t0)}, delays=${fd(tq - t0)}/0.01/0/${fd(scan)}, dsn=2.0.0, status=sent (${reply})`);
      }
      this.push(tA + 0.02, qm, `${q1}: removed`);
    };
    if (variant === 3) {
      this.push(
        tA,
        av,
        `${am.id} Blocked SPAM {DiscardedOutbound,Quarantined}, ${cl} <${user.addr}> -> ${list}, quarantine: ${mailId[0]!.toLowerCase()}/spam-${mailId}.gz, Queue-ID: ${q1}, Message-ID: ${mid}, mail_id: ${mailId}, Hits: ${r.range(6, 20).toFixed(3)}, size: ${size}, ${ms} ms`,
        B.outbound_spam_blocked,
      );
      hop(`250 2.7.0 Ok, discarded, id=${am.id.slice(1, -1)} - spam`);
      return;
    }
    const q2 = this.qid();
    const sd2 = this.pf(h, 'smtpd', this.nextPid(h));
    const tR = tA - 0.06;
    const size2 = size + 700 + r.int(300);
    this.push(tR - 0.05, sd2, 'connect from localhost[127.0.0.1]');
    this.push(tR - 0.04, sd2, `${q2}: client=localhost[127.0.0.1]`);
    this.push(tR - 0.03, this.pf(h, 'cleanup', r.pick(h.cleanup)), `${q2}: message-id=${mid}`);
    this.push(tR - 0.02, qm, `${q2}: from=<${user.addr}>, size=${size2}, nrcpt=${n} (queue active)`);
    this.push(tR - 0.01, sd2, `disconnect from localhost[127.0.0.1] ehlo=1 mail=1 rcpt=${n} data=1 quit=1 commands=${4 + n}`);
    this.push(
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
    this.deliver(h, q2, user.addr, size2, n, groups, tA + 0.05, tR - 0.04, mid, false, 'unipi.it');
  }

  private saslFail(t: number, plantedIp?: string): void {
    const r = this.rng;
    const h = r.pick(this.world.out);
    const ip = plantedIp ?? botIp(r);
    const sub = this.pf(h, 'submission/smtpd', this.nextPid(h));
    const hs = `unknown[${ip}]`;
    let T = t;
    this.push(T, sub, `connect from ${hs}`);
    const k = r.chance(0.75) ? 1 : r.intRange(2, 3);
    for (let i = 0; i < k; i++) {
      T += r.range(1, 4);
      this.push(T, sub, `warning: ${hs}: SASL LOGIN authentication failed: UGFzc3dvcmQ6`, B.sasl_auth_failures);
    }
    T += r.range(0.1, 1);
    this.push(T, sub, `lost connection after AUTH from ${hs}`);
    this.push(T, sub, `disconnect from ${hs} ehlo=2 starttls=1 auth=0/${k} commands=3/${3 + k}`);
  }

  // ---------------------------------------------------------------- IMAP / POP3
  private login(t: number, proto: 'imap' | 'pop3', ok: boolean, forced?: Mailbox, plantedIp?: string): void {
    const r = this.rng;
    const w = this.world;
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
      this.push(t, pxHead, `${lg} Disconnected (auth failed, ${k} attempts in ${r.intRange(2, 4) * k} secs): user=<${user}>, method=PLAIN, rip=${rip}, lip=${px.ip}, TLS, session=<${sid}>`, B.login_failures);
      return;
    }
    const rip = plantedIp ?? ownIp(u, r, 0.75);
    const mb = w.mboxes[u.mbox]!;
    const port = proto === 'imap' ? 143 : 110;
    if (u.mbox === 0 && this.down(t)) {
      this.push(t, pxHead, `${lg} Error: proxy(${u.addr}): connect(${mb.ip}, ${port}) failed: Connection refused (after 0 secs, local=${px.internal}:${this.port()})`);
      return;
    }
    const mpid = this.nextPid(mb);
    const mbHead = `${mb.name} dovecot:`;
    const tail = `user=<${u.addr}>, method=PLAIN, rip=${rip}`;
    this.push(t, mbHead, `${lg} Login: ${tail}, lip=${mb.ip}, mpid=${mpid}, TLS, session=<${sid}>`);
    this.push(t, pxHead, `${lg} proxy(${u.addr}): started proxying to ${mb.ip}:${port}: ${tail}, lip=${px.ip}, TLS, session=<${sid}>`, proto === 'imap' ? B.imap_logins : B.pop3_logins, null, u.addr);
    let te = t + (proto === 'imap' ? Math.min(14400, 2 + r.exp(900)) : r.range(1, 20));
    const disc = (why: string): void => this.push(te + 0.001, pxHead, `${lg} proxy(${u.addr}): disconnecting ${rip} (${why}): ${tail}, lip=${px.ip}, TLS, session=<${sid}>`);
    if (u.mbox === 0 && this.outage && t < this.outage[0] && te >= this.outage[0]) {
      te = this.outage[0];
      disc('Disconnected by server');
      return;
    }
    if (proto === 'imap') {
      const bc = r.int(30);
      this.push(
        te,
        mbHead,
        `imap(${u.addr})<${mpid}><${sid}>: Logged out in=${r.intRange(100, 20000)} out=${r.intRange(500, 900000)} deleted=${r.int(3)} expunged=${r.int(3)} trashed=0 hdr_count=${r.int(200)} hdr_bytes=${r.int(90000)} body_count=${bc} body_bytes=${bc * r.intRange(2000, 60000)}`,
      );
    } else {
      const n = r.int(6);
      const bytes = n * r.intRange(2000, 80000);
      this.push(te, mbHead, `pop3(${u.addr})<${mpid}><${sid}>: Disconnected: Logged out top=0/0, retr=${n}/${bytes}, del=${n}/${n}, size=${bytes}`);
    }
    disc('Disconnected by server');
  }

  // ---------------------------------------------------------------- outage
  private outageDown(t: number): void {
    const mb = this.world.mboxes[0]!;
    this.push(t, `${mb.name} dovecot:`, 'master: Warning: Killed with signal 15 (by pid=1 uid=0 code=kill)');
    this.push(t + 1, this.pf(mb, 'master', mb.masterPid), 'terminating on signal 15');
  }

  private outageUp(t: number): void {
    const mb = this.world.mboxes[0]!;
    mb.masterPid = this.nextPid(mb);
    this.push(t, this.pf(mb, 'master', mb.masterPid), 'daemon started -- version 3.7.11, configuration /etc/postfix');
    this.push(t + 1, `${mb.name} dovecot:`, 'master: Dovecot v2.3.19 (b3ad6004dc) starting up for imap, pop3, lmtp (core dumps disabled)');
  }
}
