// The `sla` outage plan: the availability acceptance scenario, on the first day (local times):
//   10:00  mx3's Postfix stops for 10 minutes (postfix-script + master lines) while the other
//          three MX serve: nothing of mx3's Postfix is logged meanwhile;
//   14:00  mbox1's Dovecot is killed for 6 minutes while it holds half the mailboxes: the MX
//          defer LMTP deliveries to it (`connect to mbox1...:24: Connection refused`) and the
//          proxies log `connect(10.1.0.11, 143) failed` (the generator's mailbox-outage code,
//          switched on by this plan's span);
//   16:00  mx2's Amavis stops for 4 minutes: its Postfix defers the filter hop
//          (`connect to 127.0.0.1[127.0.0.1]:10024: Connection refused`), no Amavis line and
//          no re-injection is logged meanwhile.
// Line shapes are the daemons' own (see the corpus: postfix master, dovecot master, amavis
// Net::Server start and stop lines).
import { formatLocal, localToUnix } from '../../core/time/local-time';
import type { Rng } from './prng';
import type { World } from './world';

export interface SlaPlanTruth {
  /** host → service → seconds down, as the plan made them */
  mxPostfixDown: { host: string; from: number; to: number };
  mailboxDovecotDown: { host: string; from: number; to: number };
  filterDown: { host: string; from: number; to: number };
}

type Push = (t: number, head: string, msg: string) => void;

const RE_QID = /^([0-9A-F]{6,}): /;
// the filter hop as the generator writes it: `Q: to=<a@b>, relay=127.0.0.1[127.0.0.1]:10024, delay=1.2, delays=0.1/0.01/0/1.1, dsn=2.0.0, status=sent (250 ... queued as Q2)`
const RE_FILTER_HOP = /^([0-9A-F]+): (to=<[^>]*>, )relay=127\.0\.0\.1\[127\.0\.0\.1\]:10024, delay=([^,]+), delays=([^/]+)\/([^/]+)\/[^,]*, dsn=2\.0\.0, status=sent \(.*queued as ([0-9A-F]+)\)$/;

export class SlaOutagePlan {
  readonly truth: SlaPlanTruth;
  private readonly mx3: string;
  private readonly mx2: string;
  /** queue ids of re-injections that never happened (their filter was down) */
  private readonly dropped = new Set<string>();
  /** queue ids whose filter hop was deferred: they stay in the queue */
  private readonly deferred = new Set<string>();

  constructor(
    private readonly world: World,
    private readonly rng: Rng,
    private readonly tz: string,
    date: string,
  ) {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    const at = (h: number): number => localToUnix(tz, y, m, d, h, 0, 0);
    this.mx3 = world.mx[2]!.name;
    this.mx2 = world.mx[1]!.name;
    this.truth = {
      mxPostfixDown: { host: this.mx3, from: at(10), to: at(10) + 600 },
      mailboxDovecotDown: { host: world.mboxes[0]!.name, from: at(14), to: at(14) + 360 },
      filterDown: { host: this.mx2, from: at(16), to: at(16) + 240 },
    };
  }

  /** The mailbox server outage span, for the generator's LMTP-deferral and proxy-failure code. */
  get mailboxOutage(): [number, number] {
    const o = this.truth.mailboxDovecotDown;
    return [o.from, o.to];
  }

  /** The plan's own lines (stops and starts), as a stream of instants and what to push then. */
  events(push: Push): Array<[number, () => void]> {
    const r = this.rng;
    const { mxPostfixDown: p, mailboxDovecotDown: v, filterDown: f } = this.truth;
    const pid = (): number => r.intRange(2000, 60000);
    const masterOld = pid();
    const masterNew = pid();
    const amOld = this.world.mx[1]!.amavis[0]!.pid;
    const amNew = pid();
    // Net::Server stamps its own lines with local time: `2019/01/24-19:40:49`
    const stamp = (t: number): string => formatLocal(this.tz, t).replace(/-/g, '/').replace(' ', '-');
    return [
      [p.from - 1, () => push(p.from - 1, `${this.mx3} postfix/postfix-script[${pid()}]:`, 'stopping the Postfix mail system')],
      [p.from, () => push(p.from, `${this.mx3} postfix/master[${masterOld}]:`, 'terminating on signal 15')],
      [p.to - 1, () => push(p.to - 1, `${this.mx3} postfix/postfix-script[${pid()}]:`, 'starting the Postfix mail system')],
      [p.to, () => push(p.to, `${this.mx3} postfix/master[${masterNew}]:`, 'daemon started -- version 3.7.11, configuration /etc/postfix')],
      [v.from, () => push(v.from, `${v.host} dovecot:`, 'master: Warning: Killed with signal 15 (by pid=1 uid=0 code=kill)')],
      [v.to, () => push(v.to, `${v.host} dovecot:`, 'master: Dovecot v2.3.19 (b3ad6004dc) starting up for imap, pop3, lmtp (core dumps disabled)')],
      [f.from, () => push(f.from, `${this.mx2} amavis[${amOld}]:`, `(!)Net::Server: ${stamp(f.from)} Server closing!`)],
      [f.to, () => push(f.to, `${this.mx2} amavis[${amNew}]:`, `starting. /usr/sbin/amavisd-new at ${this.mx2} amavisd-new-2.13.0 (20230106), Unicode aware`)],
    ];
  }

  /**
   * What becomes of a line about to be written: the same message, another one (a filter hop
   * deferred), or null (not logged: its daemon was down).
   */
  rewrite(t: number, head: string, msg: string): string | null {
    const { mxPostfixDown: p, filterDown: f } = this.truth;
    if (t >= p.from && t < p.to && head.startsWith(`${this.mx3} postfix/`) && !head.includes('/postfix-script[') && !head.includes('/master[')) return null;
    if (!head.startsWith(`${this.mx2} `)) return msg;
    const q = RE_QID.exec(msg);
    if (q && this.dropped.has(q[1]!)) return null;
    if (q && this.deferred.has(q[1]!) && msg === `${q[1]}: removed`) return null;
    if (t < f.from || t >= f.to) return msg;
    if (head.includes(' amavis[') && !msg.startsWith('starting.') && !msg.includes('Server closing')) return null;
    if (msg.includes('localhost[127.0.0.1]')) {
      if (q) this.dropped.add(q[1]!);
      return null;
    }
    const h = RE_FILTER_HOP.exec(msg);
    if (h) {
      this.deferred.add(h[1]!);
      this.dropped.add(h[6]!);
      return `${h[1]}: ${h[2]}relay=none, delay=${h[3]}, delays=${h[4]}/${h[5]}/0/0, dsn=4.4.1, status=deferred (connect to 127.0.0.1[127.0.0.1]:10024: Connection refused)`;
    }
    return msg;
  }
}
