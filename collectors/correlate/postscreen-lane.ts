// The postscreen lane: the common postscreen and dnsblog lines (85% of an MX's day, about
// 3.8 million lines at the seed's scale) read straight into the postscreen tracker, with no
// envelope and no event object per line, and in the bulk ingest with no string either: the
// lane reads the line's bytes in the file's buffer. Why: building and collecting those objects
// and strings was most of the collector's time.
//
// It is an optimisation, not a second parser of what it keeps. It only takes a line it reads
// exactly as the full path (parseLine → Correlator.push) would: the stamp through
// traditionalStampAt, the verdict through decodePostscreenBytes (the rules of the one
// postscreen grammar, postscreen-grammar.ts, over bytes), the dnsblog and smtpd connect/disconnect expressions spelled out over bytes; for
// anything else it answers NaN and the line takes the full path.
// test/correlate/postscreen-lane.test.ts feeds the same logs both ways and compares every
// figure and row.
import type { ParseContext } from '../parse/index';
import { traditionalStampAt } from '../parse/envelope';
import { PsVerdict } from '../parse/postscreen-grammar';
import { bytesAt, decodePostscreenBytes, decodedBytes, digitsEndAt, Keyword, keywordAt } from '../parse/postscreen-bytes';
import type { HostState, PostscreenTracker } from './postscreen-tracker';

const POSTSCREEN = new Keyword('postfix/postscreen[');
const DNSBLOG = new Keyword('postfix/dnsblog[');
const SMTPD = new Keyword('postfix/smtpd[');
const CONNECT_FROM = new Keyword('connect from ');
const DISCONNECT_FROM = new Keyword('disconnect from ');
const ADDR = new Keyword('addr ');
const LISTED_BY_DOMAIN = new Keyword(' listed by domain ');
const AS = new Keyword(' as ');
/** The stamp is 16 bytes: `Mar 10 00:00:00 `. */
const STAMP = 16;

/** A byte JavaScript's `\s` matches, of those a line may hold (\t \n \v \f \r and space). */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * End of a run of `\S` (at least one) from i, -1 when none. A byte above 127 (a UTF-8
 * sequence, which might be a Unicode space) makes it -1 too: the full parser decides.
 */
function nonSpaceRun(b: Uint8Array, i: number, end: number): number {
  let j = i;
  while (j < end) {
    const c = b[j]!;
    if (isSpace(c)) break;
    if (c > 127) return -1;
    j++;
  }
  return j > i ? j : -1;
}

/**
 * RE_CONNECT and RE_DISCONNECT of the Postfix parser after their keyword, from i:
 * `[^\s[\]]*\[[^\]]*\](?::\d+)?`; the index after it, -1 when not so.
 */
function clientAt(b: Uint8Array, i: number, end: number): number {
  let j = i;
  while (j < end) {
    const c = b[j]!;
    if (c === 91 /* [ */) break;
    if (c === 93 || isSpace(c) || c > 127) return -1;
    j++;
  }
  if (j >= end) return -1;
  j++;
  while (j < end && b[j] !== 93 /* ] */) j++;
  if (j >= end) return -1;
  j++;
  if (b[j] === 58 /* : */ && j + 1 < end && b[j + 1]! >= 48 && b[j + 1]! <= 57) j = digitsEndAt(b, j + 1, end);
  return j;
}

export class PostscreenLane {
  /** the stamp bytes of the last line read, and its instant */
  private stamp0 = 0;
  private stamp1 = 0;
  private stamp2 = 0;
  private stamp3 = 0;
  private stampAt = NaN;
  /** a view of the last buffer read, for reading four bytes at once */
  private view: DataView = new DataView(new ArrayBuffer(0));
  private viewOf: Uint8Array | null = null;
  private ctx: ParseContext | null = null;
  /** host names seen, as text and bytes, so that a line's host is matched, not decoded */
  private hosts: string[] = [];
  private hostBytes: Uint8Array[] = [];
  /** the same as keywords, null for a name shorter than 4 bytes or not ASCII */
  private hostKeys: Array<Keyword | null> = [];
  /** the tracker's state of each of `hosts` */
  private states: HostState[] = [];

  constructor(private readonly tracker: PostscreenTracker) {}

  /**
   * Reads the line b[start, end) into the tracker when it is a postscreen verdict, a dnsblog
   * line, or an smtpd connect/disconnect of a postscreen MX, with a traditional syslog envelope.
   * `b` may hold other lines around it (the bulk reader passes the file's buffer). Returns the
   * line's instant, or NaN when the full path must read it.
   */
  take(b: Buffer, start: number, end: number, ctx: ParseContext): number {
    // `Mar 10 00:00:00 h postfix/dnsblog[1]: addr ...` is the shortest line worth a look
    if (end - start < 48) return NaN;
    // the parser trims a message's trailing space (envelope.ts, trimMessage): leave such lines to it
    const last = b[end - 1];
    if (last === 32 || last === 9 || last === 13 || last === 10) return NaN;
    if (ctx !== this.ctx) {
      this.ctx = ctx;
      this.stampAt = NaN;
    }
    if (b !== this.viewOf) {
      this.viewOf = b;
      this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    }
    const v = this.view;
    let at = this.stampAt;
    const w0 = v.getInt32(start, true);
    const w1 = v.getInt32(start + 4, true);
    const w2 = v.getInt32(start + 8, true);
    const w3 = v.getInt32(start + 12, true);
    if (!(at === at && w0 === this.stamp0 && w1 === this.stamp1 && w2 === this.stamp2 && w3 === this.stamp3)) {
      at = traditionalStampAt(b.toString('latin1', start, start + STAMP), ctx);
      this.stampAt = at;
      if (at !== at) return NaN;
      this.stamp0 = w0;
      this.stamp1 = w1;
      this.stamp2 = w2;
      this.stamp3 = w3;
    }
    // The host: one seen before (it passed the tests below then), else read up to its space.
    const hostStart = start + STAMP;
    let hostIndex = this.knownHostAt(v, b, hostStart, end);
    let hostEnd: number;
    if (hostIndex >= 0) hostEnd = hostStart + this.hostKeys[hostIndex]!.length;
    else {
      hostEnd = hostStart;
      while (hostEnd < end && b[hostEnd] !== 32) hostEnd++;
      if (hostEnd === hostStart || hostEnd >= end) return NaN;
      // as the parser's afterStamp: `<4.3>` first is a FreeBSD priority, and a field ending in `:`
      // is a program, not a host
      if (b[hostStart] === 60 /* < */ || b[hostEnd - 1] === 58 /* : */) return NaN;
    }
    const tag = hostEnd + 1;
    if (keywordAt(v, tag, POSTSCREEN, end)) {
      const m = this.messageStart(b, tag + POSTSCREEN.length, end);
      if (m < 0) return NaN;
      const verdict = decodePostscreenBytes(b, v, m, end);
      if (verdict === PsVerdict.Unsure) return NaN;
      if (hostIndex < 0) hostIndex = this.hostAt(b, hostStart, hostEnd);
      const d = decodedBytes;
      if (d.ipv4 >= 0 && d.port < 65536) {
        // connectionKey(ip, port) of an IPv4 client: the address as a number
        const h = this.states[hostIndex]!;
        const ip32 = d.ipv4 | 0;
        switch (verdict) {
          case PsVerdict.Connect:
            this.tracker.connectV4(h, at, ip32, d.port);
            break;
          case PsVerdict.Pass:
            this.tracker.passV4(h, at, ip32, d.port, d.how);
            break;
          case PsVerdict.Violation:
            this.tracker.violationV4(h, ip32, d.port, d.test, d.rank);
            break;
          case PsVerdict.Disconnect:
            this.tracker.disconnectV4(h, ip32, d.port);
            break;
        }
        return at;
      }
      // otherwise the text `ip]:port`
      const host = this.hosts[hostIndex]!;
      const key = b.toString('utf8', d.keyStart, d.keyEnd);
      switch (verdict) {
        case PsVerdict.Connect:
          this.tracker.connect(at, host, key);
          break;
        case PsVerdict.Pass:
          this.tracker.pass(at, host, key, d.how);
          break;
        case PsVerdict.Violation:
          this.tracker.violation(host, key, d.test, d.rank);
          break;
        case PsVerdict.Disconnect:
          this.tracker.disconnect(host, key);
          break;
      }
      return at;
    }
    if (keywordAt(v, tag, DNSBLOG, end)) {
      // the correlator keeps nothing of a dnsblog line (postscreen's DNSBL rank line says it all)
      // RE_DNSBLOG: `^addr (\S+) listed by domain (\S+) as (\S+)`
      const m = this.messageStart(b, tag + DNSBLOG.length, end);
      if (m < 0 || !keywordAt(v, m, ADDR, end)) return NaN;
      let j = nonSpaceRun(b, m + ADDR.length, end);
      if (j < 0 || !keywordAt(v, j, LISTED_BY_DOMAIN, end)) return NaN;
      j = nonSpaceRun(b, j + LISTED_BY_DOMAIN.length, end);
      if (j < 0 || !keywordAt(v, j, AS, end)) return NaN;
      return nonSpaceRun(b, j + AS.length, end) < 0 ? NaN : at;
    }
    if (keywordAt(v, tag, SMTPD, end)) {
      // On an MX behind postscreen, smtpd's connect and disconnect lines make no row: postscreen
      // counted the connection (the correlator ignores them too, see its smtpd cases).
      if (hostIndex < 0) hostIndex = this.hostAt(b, hostStart, hostEnd);
      const host = this.hosts[hostIndex]!;
      if (!this.tracker.hosts.has(host)) return NaN;
      const m = this.messageStart(b, tag + SMTPD.length, end);
      if (m < 0) return NaN;
      if (keywordAt(v, m, CONNECT_FROM, end)) return clientAt(b, m + CONNECT_FROM.length, end) === end ? at : NaN;
      if (keywordAt(v, m, DISCONNECT_FROM, end)) {
        // RE_DISCONNECT goes on with `(?: [\s\S]*)?$`: the end, or a space and anything
        const j = clientAt(b, m + DISCONNECT_FROM.length, end);
        return j === end || (j >= 0 && b[j] === 32) ? at : NaN;
      }
      return NaN;
    }
    return NaN;
  }

  /** Index of the message after `pid]: `, the pid's digits starting at i; -1 when not so. */
  private messageStart(b: Uint8Array, i: number, end: number): number {
    const j = digitsEndAt(b, i, end);
    if (j === i || j - i > 10 || b[j] !== 93 || b[j + 1] !== 58 || b[j + 2] !== 32 || j + 3 > end) return -1;
    return j + 3;
  }

  /**
   * The index in `hosts` of the host standing at i and followed by a space, -1 when none of those
   * seen (of 4 bytes or more) stands there.
   */
  private knownHostAt(v: DataView, b: Uint8Array, i: number, end: number): number {
    const keys = this.hostKeys;
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      if (key !== null && i + key.length < end && b[i + key.length] === 32 && keywordAt(v, i, key, end)) return k;
    }
    return -1;
  }

  /**
   * The host field b[start, end) as an index in `hosts` (and `states`): a host is matched
   * against those seen, not decoded from each line.
   */
  private hostAt(b: Buffer, start: number, end: number): number {
    const len = end - start;
    const known = this.hostBytes;
    for (let i = 0; i < known.length; i++) {
      const h = known[i]!;
      if (h.length === len && bytesAt(b, start, h, end)) return i;
    }
    const name = b.toString('utf8', start, end);
    // the list stays short (4 MX); past 64 names, the last slot is reused
    const i = known.length < 64 ? known.length : 63;
    this.hosts[i] = name;
    this.hostBytes[i] = Uint8Array.from(b.subarray(start, end));
    this.hostKeys[i] = end - start >= 4 && /^[\x00-\x7f]*$/.test(name) ? new Keyword(name) : null;
    this.states[i] = this.tracker.hostState(name);
    return i;
  }
}
