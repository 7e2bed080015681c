// The postscreen lane: the common postscreen and dnsblog lines (85% of an MX's day, about
// 3.8 million lines at the seed's scale) read straight into the postscreen tracker, with no
// envelope and no event object per line. Why: building and collecting those objects was half
// of the collector's time.
//
// It is an optimisation, not a second parser. It only takes a line it reads exactly as the
// full path (parseLine → Correlator.push) would, using the same readers (traditionalStampAt,
// decodePostscreen, the dnsblog expression); for anything else it answers NaN and the line takes
// the full path. test/correlate/postscreen-lane.test.ts feeds the same logs both ways and
// compares every figure and row.
import type { ParseContext } from '../parse/index';
import { traditionalStampAt } from '../parse/envelope';
import { decodePostscreen, decoded, PsVerdict } from '../parse/postfix';
import { ipv4Number, type HostState, type PostscreenTracker } from './postscreen-tracker';

const POSTSCREEN = 'postfix/postscreen[';
const DNSBLOG = 'postfix/dnsblog[';
const SMTPD = 'postfix/smtpd[';
/** RE_CONNECT and RE_DISCONNECT of the Postfix parser, sticky (their `^` is the lastIndex). */
/**
 * RE_CONNECT and RE_DISCONNECT of the Postfix parser, sticky, without their `$`: the lane reads
 * a line in place in a chunk of several, so the caller checks that the match ends the line
 * (connect) or is followed by the end or a space (disconnect), as `$` and `(?: [\s\S]*)?$` did.
 * `[^\]\n]` keeps a match from running into the next line.
 */
const SMTPD_CONNECT = /connect from [^\s[\]]*\[[^\]\n]*\](?::\d+)?/y;
const SMTPD_DISCONNECT = /disconnect from [^\s[\]]*\[[^\]\n]*\](?::\d+)?/y;
/** RE_DNSBLOG of the Postfix parser (`^addr (\S+) listed by domain (\S+) as (\S+)`), sticky. */
const DNSBLOG_MESSAGE = /addr \S+ listed by domain \S+ as \S+/y;
/** The stamp is 16 characters: `Mar 10 00:00:00 `. */
const STAMP = 16;

/**
 * A copy of text[start, end) that does not share the text's memory: V8 slices a long string
 * as a view of it, and a kept view would keep a whole chunk of lines alive. Rare: a new stamp
 * (once a log second), a new host, an IPv6 connection key.
 */
function own(text: string, start: number, end: number): string {
  const s = text.slice(start, end);
  return start === 0 && end === text.length ? s : Buffer.from(s, 'utf8').toString('utf8');
}

export class PostscreenLane {
  /** the stamp text of the last line read, and its instant */
  private stamp = '\u0000';
  private stampAt = NaN;
  private ctx: ParseContext | null = null;
  /** host names seen, so that a line's host is matched, not sliced (4 MX: a short list) */
  private hosts: string[] = [];
  /** the tracker's state of each of `hosts` */
  private states: HostState[] = [];

  constructor(private readonly tracker: PostscreenTracker) {}

  /**
   * Reads the line text[start, end) into the tracker when it is a postscreen verdict, a dnsblog
   * line, or an smtpd connect/disconnect of a postscreen MX, with a traditional syslog envelope.
   * `text` may hold other lines around it (the bulk reader passes a whole chunk). Returns the
   * line's instant, or NaN when the full path must read it.
   */
  take(text: string, start: number, end: number, ctx: ParseContext): number {
    // `Mar 10 00:00:00 h postfix/dnsblog[1]: addr ...` is the shortest line worth a look
    if (end - start < 48) return NaN;
    if (ctx !== this.ctx) {
      this.ctx = ctx;
      this.stamp = '\u0000';
    }
    let at = this.stampAt;
    if (!text.startsWith(this.stamp, start)) {
      const stamp = own(text, start, start + STAMP);
      at = traditionalStampAt(stamp, ctx);
      if (at !== at) return NaN;
      this.stamp = stamp;
      this.stampAt = at;
    }
    const hostEnd = text.indexOf(' ', start + STAMP);
    if (hostEnd <= start + STAMP || hostEnd >= end) return NaN;
    const tag = hostEnd + 1;
    if (text.startsWith(POSTSCREEN, tag)) {
      const m = this.messageStart(text, tag + POSTSCREEN.length);
      if (m < 0) return NaN;
      const verdict = decodePostscreen(text, m, false, end);
      if (verdict === PsVerdict.Unsure) return NaN;
      const hostIndex = this.hostAt(text, start + STAMP, hostEnd);
      // connectionKey(ip, port), read in place: for IPv4 the address as a number
      const ip = ipv4Number(text, decoded.keyStart, decoded.ipEnd);
      const port = decoded.port;
      if (ip >= 0 && port < 65536) {
        const h = this.states[hostIndex]!;
        const ip32 = ip | 0;
        switch (verdict) {
          case PsVerdict.Connect:
            this.tracker.connectV4(h, at, ip32, port);
            break;
          case PsVerdict.Pass:
            this.tracker.passV4(h, at, ip32, port, decoded.how);
            break;
          case PsVerdict.Violation:
            this.tracker.violationV4(h, ip32, port, decoded.test, decoded.rank);
            break;
          case PsVerdict.Disconnect:
            this.tracker.disconnectV4(h, ip32, port);
            break;
        }
        return at;
      }
      const host = this.hosts[hostIndex]!;
      const key = own(text, decoded.keyStart, decoded.keyEnd);
      switch (verdict) {
        case PsVerdict.Connect:
          this.tracker.connect(at, host, key);
          break;
        case PsVerdict.Pass:
          this.tracker.pass(at, host, key, decoded.how);
          break;
        case PsVerdict.Violation:
          this.tracker.violation(host, key, decoded.test, decoded.rank);
          break;
        case PsVerdict.Disconnect:
          this.tracker.disconnect(host, key);
          break;
      }
      return at;
    }
    if (text.startsWith(DNSBLOG, tag)) {
      // the correlator keeps nothing of a dnsblog line (postscreen's DNSBL rank line says it all)
      const m = this.messageStart(text, tag + DNSBLOG.length);
      if (m < 0) return NaN;
      DNSBLOG_MESSAGE.lastIndex = m;
      return DNSBLOG_MESSAGE.test(text) && DNSBLOG_MESSAGE.lastIndex <= end ? at : NaN;
    }
    if (text.startsWith(SMTPD, tag)) {
      // On an MX behind postscreen, smtpd's connect and disconnect lines make no row: postscreen
      // counted the connection (the correlator ignores them too, see its smtpd cases).
      const host = this.hosts[this.hostAt(text, start + STAMP, hostEnd)]!;
      if (!this.tracker.hosts.has(host)) return NaN;
      const m = this.messageStart(text, tag + SMTPD.length);
      if (m < 0) return NaN;
      const c = text.charCodeAt(m);
      if (c === 99 /* c */) {
        SMTPD_CONNECT.lastIndex = m;
        return SMTPD_CONNECT.test(text) && SMTPD_CONNECT.lastIndex === end ? at : NaN;
      }
      if (c === 100 /* d */) {
        SMTPD_DISCONNECT.lastIndex = m;
        if (!SMTPD_DISCONNECT.test(text)) return NaN;
        const after = SMTPD_DISCONNECT.lastIndex;
        return after === end || (after < end && text.charCodeAt(after) === 32) ? at : NaN;
      }
      return NaN;
    }
    return NaN;
  }

  /** Index of the message after `pid]: `, the pid's digits starting at i; -1 when not so. */
  private messageStart(line: string, i: number): number {
    let j = i;
    for (;;) {
      const c = line.charCodeAt(j);
      if (c < 48 || c > 57) break;
      j++;
    }
    if (j === i || j - i > 10 || line.charCodeAt(j) !== 93 || line.charCodeAt(j + 1) !== 58 || line.charCodeAt(j + 2) !== 32) return -1;
    return j + 3;
  }

  /**
   * The host field text[start, end) as an index in `hosts` (and `states`): a host is matched
   * against those seen, not sliced from each line.
   */
  private hostAt(text: string, start: number, end: number): number {
    const len = end - start;
    const hosts = this.hosts;
    for (let i = 0; i < hosts.length; i++) {
      const h = hosts[i]!;
      if (h.length === len && text.startsWith(h, start)) return i;
    }
    const h = own(text, start, end);
    // the list stays short (4 MX); past 64 names, the last slot is reused
    const i = hosts.length < 64 ? hosts.length : 63;
    hosts[i] = h;
    this.states[i] = this.tracker.hostState(h);
    return i;
  }
}
