// The episode engine: each episode (a bot connection, a message, a login...) pushes its
// future log lines into a min-heap; lines older than the next episode are flushed in time
// order. Truth is counted when (and only if) a line is actually emitted.
import { figureNames, type Figures } from '../../core/rollup/figures';
import { dayBounds, localToUnix } from '../../core/time/local-time';
import { bot } from './bots';
import { Clock } from './clock';
import { B, type Episode } from './episode';
import { forcedSplitMessage, inbound } from './inbound';
import { login } from './logins';
import { outageDown, outageUp } from './outages';
import { outbound, saslFail } from './outbound';
import { greyOnly, smtpdReject } from './smtpd-rejects';
import { LineHeap, type PendingLine } from './heap';
import { Rng } from './prng';
import { QueueIds, type QueueIdForm } from './queue-ids';
import { MailboxTruthCounter, type MailboxTruth } from './mailbox-truth';
import { plantedAccounts, plantedDay, plantedSignals, type PlantedSignal } from './accounts';
import { SlaOutagePlan } from './sla-outages';
import { type Mailbox, World } from './world';

export interface GenerateOptions {
  /** YYYY-MM-DD, first day (local date in tz) */
  start: string;
  days: number;
  /** 1 = the seed's daily load */
  scale: number;
  /** IANA zone, default Europe/Rome */
  tz: string;
  seed?: number;
  /** when set, the traffic's random stream: the world (users, hosts) still comes from `seed` */
  trafficSeed?: number;
  /** default: mbox1 down 20 minutes at 03:00 local time on the first day */
  outagePlan?: 'default' | 'none' | 'sla';
  /** the day (0 = the first) the outage plan falls on */
  outageDay?: number;
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

export class Generator implements Episode {
  readonly rng: Rng;
  readonly world: World;
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
  outage: [number, number] | null = null;
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
    const worldRng = new Rng(opts.seed ?? 1);
    this.world = new World(worldRng, opts.scale);
    // the traffic goes on with the world's stream, or a stream of its own (the same users, another day's mail)
    this.rng = opts.trafficSeed === undefined ? worldRng : new Rng(opts.trafficSeed);
    this.clock = new Clock(opts.tz);
    this.qids = new QueueIds(opts.queueIds ?? 'short', opts.trafficSeed ?? opts.seed ?? 1, this.rng.int(2 ** 30) * 1024);
    // The output covers the requested days only: lines of episodes still in flight at the
    // end of the last day are cut there, like `until` (a daily log file ends at midnight).
    const last = new Date(Date.parse(`${opts.start}T00:00:00Z`) + (opts.days - 1) * 86_400_000).toISOString().slice(0, 10);
    const endOfRun = dayBounds(opts.tz, last)[1] - 1;
    this.until = Math.min(opts.until ?? Infinity, endOfRun);
    this.cdfs = { bot: curveWeights('bot'), mail: curveWeights('mail'), human: curveWeights('human') };
    this.kinds = this.defineKinds();
  }

  // ---------------------------------------------------------------- plumbing
  push(t: number, head: string, msg: string, f = 0, m: { delivered: boolean } | null = null, u: string | null = null, b?: string): void {
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

  qid(): string {
    return this.qids.next(this.lastPushT);
  }

  down(t: number): boolean {
    return this.outage !== null && t >= this.outage[0] && t < this.outage[1];
  }

  nextPid(h: { nextPid: number }): number {
    h.nextPid += this.rng.intRange(1, 6);
    if (h.nextPid > 4_190_000) h.nextPid = 1000;
    return h.nextPid;
  }

  pf(h: { name: string }, prog: string, pid: number): string {
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
      if (d === (this.opts.outageDay ?? 0) && (this.opts.outagePlan ?? 'default') === 'default') {
        const [y, m, dd] = date.split('-').map(Number) as [number, number, number];
        const s = localToUnix(tz, y, m, dd, 3, 0, 0);
        this.outage = [s, s + 1201];
        const specials: Array<[number, (t: number) => void]> = [
          [s, (t) => outageDown(this, t)],
          [s + 300, (t) => forcedSplitMessage(this, t)],
          [s + 420, (t) => login(this, t, 'imap', true, this.world.mailboxes[0])],
          [s + 1200, (t) => outageUp(this, t)],
        ];
        streams.push({ times: Float64Array.from(specials.map((x) => x[0])), i: 0, run: (t) => specials.find((x) => x[0] === t)![1](t) });
      }
      if (this.opts.planted) streams.push(this.plantedStream(date, d === days - 1));
      if (d === (this.opts.outageDay ?? 0) && this.opts.outagePlan === 'sla') {
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
      login: (t: number, proto: 'imap' | 'pop3', ok: boolean, user: Mailbox, rip: string) => login(this, t, proto, ok, user, rip),
      submit: (t: number, user: Mailbox, ip: string, n: number, spam: boolean) => outbound(this, t, spam ? 3 : 0, { user, ip, n }),
      saslFail: (t: number, ip: string) => saslFail(this, t, ip),
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
  // Every actor lives in its own file (see episode.ts); a new one is one line here.
  private defineKinds(): Kind[] {
    const k = (name: string, perDay: number, curve: Curve, weekend: number, run: (t: number) => void): Kind => ({ name, perDay, curve, weekend, run });
    return [
      k('ps-dnsbl-reject', 150_000, 'bot', 1, (t) => bot(this, t, 0)),
      k('ps-dnsbl-drop', 200_000, 'bot', 1, (t) => bot(this, t, 1)),
      k('ps-pregreet', 250_000, 'bot', 1, (t) => bot(this, t, 2)),
      k('ps-hangup', 250_000, 'bot', 1, (t) => bot(this, t, 3)),
      k('ps-pipelining', 90_000, 'bot', 1, (t) => bot(this, t, 4)),
      k('smtpd-unknown-user', 12_000, 'mail', 1, (t) => smtpdReject(this, t, 0)),
      k('smtpd-rbl', 6_000, 'mail', 1, (t) => smtpdReject(this, t, 1)),
      k('smtpd-relay', 3_000, 'mail', 1, (t) => smtpdReject(this, t, 2)),
      k('smtpd-helo', 2_500, 'mail', 1, (t) => smtpdReject(this, t, 3)),
      k('smtpd-nomail', 8_000, 'mail', 1, (t) => smtpdReject(this, t, 4)),
      k('greylist-only', 5_500, 'mail', 1, (t) => greyOnly(this, t)),
      k('msg-clean', 13_850, 'mail', 1, (t) => inbound(this, t, 'clean')),
      k('msg-spammy', 2_000, 'mail', 1, (t) => inbound(this, t, 'spammy')),
      k('msg-spam', 2_500, 'mail', 1, (t) => inbound(this, t, 'spam')),
      k('msg-virus', 15, 'mail', 1, (t) => inbound(this, t, 'virus')),
      k('msg-banned', 10, 'mail', 1, (t) => inbound(this, t, 'banned')),
      k('msg-fwd-defer', 150, 'mail', 1, (t) => inbound(this, t, 'clean', { fwdDefer: true })),
      k('msg-fwd-bounce', 50, 'mail', 1, (t) => inbound(this, t, 'clean', { fwdBounce: true })),
      k('out-ok', 3_000, 'human', 0.4, (t) => outbound(this, t, 0)),
      k('out-defer', 90, 'human', 0.4, (t) => outbound(this, t, 1)),
      k('out-bounce', 30, 'human', 0.4, (t) => outbound(this, t, 2)),
      k('out-spam', 40, 'bot', 1, (t) => outbound(this, t, 3)),
      k('sasl-fail', 500, 'bot', 1, (t) => saslFail(this, t)),
      k('imap-ok', 40_000, 'human', 0.45, (t) => login(this, t, 'imap', true)),
      k('pop3-ok', 3_000, 'human', 0.45, (t) => login(this, t, 'pop3', true)),
      k('imap-fail', 250, 'bot', 1, (t) => login(this, t, 'imap', false)),
      k('pop3-fail', 50, 'bot', 1, (t) => login(this, t, 'pop3', false)),
    ];
  }
}
