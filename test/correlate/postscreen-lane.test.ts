// The postscreen lane must change nothing but speed: the same lines fed through the lane
// (as the pipeline does) and through parseLine + push only give the same rows, tallies and
// open state. Lines: the real corpus (test/fixtures/corpus, headers kept there) and a
// generated day of the observed system.
import { describe, it, expect } from 'vitest';
import { Correlator, type CorrelatorOptions } from '../../collectors/correlate/correlator';
import { parseLine } from '../../collectors/parse/parse-line';
import { yearFromStart } from '../../collectors/parse/year';
import type { ParseContext } from '../../collectors/parse/index';
import { generate } from '../../collectors/generate/index';
import { Rng } from '../../collectors/generate/prng';
import { allCorpusLines } from '../helpers/corpus';

const opts: CorrelatorOptions = { spamTagLevel: 5, mailboxHosts: ['mbox1.unipi.it', 'mbox2.unipi.it'], postscreenHosts: [], openRecordTtlSeconds: 86_400 };

function ctxFor(year: number): ParseContext {
  return { tz: 'Europe/Rome', year: yearFromStart(year) };
}

/** Feeds lines as the pipeline does: the lane first, the full path for what it leaves. */
function viaLane(lines: string[], year: number): { c: Correlator; taken: number } {
  const c = new Correlator(opts);
  const ctx = ctxFor(year);
  let taken = 0;
  for (const l of lines) {
    const at = c.pushLine(l, ctx);
    if (at === at) taken++;
    else c.push(parseLine(l, ctx), l);
  }
  return { c, taken };
}

/**
 * The same, with each line read in place in a text of many lines, as the bulk reader passes
 * them (the bytes of a chunk of the file): nothing may be read past a line's end.
 */
function viaLaneInPlace(lines: string[], year: number): { c: Correlator; taken: number } {
  const c = new Correlator(opts);
  const ctx = ctxFor(year);
  let taken = 0;
  const bytes = Buffer.from(lines.join('\n'), 'utf8');
  let start = 0;
  for (const l of lines) {
    const end = start + Buffer.byteLength(l, 'utf8');
    const at = c.pushBytes(bytes, start, end, ctx);
    if (at === at) taken++;
    else c.push(parseLine(l, ctx), l);
    start = end + 1;
  }
  return { c, taken };
}

function viaParser(lines: string[], year: number): Correlator {
  const c = new Correlator(opts);
  const ctx = ctxFor(year);
  for (const l of lines) c.push(parseLine(l, ctx), l);
  return c;
}

/** Output and state in comparable form (Maps and Sets as sorted arrays). */
function comparable(c: Correlator): unknown {
  c.sweep();
  const out = c.drain();
  const plain = JSON.parse(
    JSON.stringify(out, (_k, v: unknown) => (v instanceof Map ? [...v].sort() : v instanceof Set ? [...v].sort() : v)),
  ) as Record<string, unknown>;
  const state = c.snapshot() as unknown as Record<string, unknown>;
  state.connections = (state.connections as Array<[string, unknown]>).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return { out: plain, state };
}


describe('the postscreen lane', () => {
  it('gives the same rows, tallies and open state as the full parser on the corpus', () => {
    const lines = allCorpusLines();
    const lane = viaLane(lines, 2015);
    expect(lane.taken).toBeGreaterThan(10);
    const reference = comparable(viaParser(lines, 2015));
    expect(comparable(lane.c)).toEqual(reference);
    const inPlace = viaLaneInPlace(lines, 2015);
    expect(inPlace.taken).toBe(lane.taken);
    expect(comparable(inPlace.c)).toEqual(reference);
  });

  it('gives the same rows, tallies and open state as the full parser on a generated day, and takes most postscreen lines', async () => {
    const lines: string[] = [];
    await generate({ start: '2026-03-10', days: 1, scale: 0.02, tz: 'Europe/Rome', seed: 7, outagePlan: 'default' }, (l) => {
      lines.push(l);
    });
    const lane = viaLane(lines, 2026);
    const postscreenLines = lines.filter((l) => / postfix\/(postscreen|dnsblog)\[/.test(l) && !l.includes('NOQUEUE')).length;
    // smtpd's connect and disconnect lines on the MX hosts (which run postscreen)
    const mxSessionLines = lines.filter((l) => / mx\d\.unipi\.it postfix\/smtpd\[\d+\]: (dis)?connect from /.test(l)).length;
    expect(postscreenLines).toBeGreaterThan(50_000);
    expect(mxSessionLines).toBeGreaterThan(1_000);
    expect(lane.taken).toBe(postscreenLines + mxSessionLines);
    const reference = comparable(viaParser(lines, 2026));
    expect(comparable(lane.c)).toEqual(reference);
    const inPlace = viaLaneInPlace(lines, 2026);
    expect(inPlace.taken).toBe(lane.taken);
    expect(comparable(inPlace.c)).toEqual(reference);
  });

  it('leaves to the full parser every line it does not read exactly as the parser would', () => {
    const ctx = ctxFor(2015);
    const refused = [
      // a reject is a row, with its reply: the full path writes it
      'May  5 15:51:11 xxx postfix/postscreen[1148]: NOQUEUE: reject: RCPT from [216.245.194.173]:60591: 550 5.7.1 Service unavailable; client [216.245.194.173] blocked using rbl.example.com; from=<spammer@example.com>, to=<goodguy@example.com>, proto=ESMTP, helo=<badguy.example.com>',
      // an instance name, an ISO stamp, a one-space day, a FreeBSD priority: other envelopes
      'Jun  8 23:14:28 proxy2 postfix-in/postscreen[473]: CONNECT from [192.0.2.77]:3608 to [192.0.2.1]:25',
      '2024-08-29T01:08:59.764590+00:00 machine postfix/postscreen[473]: CONNECT from [192.0.2.77]:3608 to [192.0.2.1]:25',
      'Jun 8 23:14:28 proxy2 postfix/postscreen[473]: CONNECT from [192.0.2.77]:3608 to [192.0.2.1]:25',
      'Jun  8 23:14:28 <4.3> proxy2 postfix/postscreen[473]: CONNECT from [192.0.2.77]:3608 to [192.0.2.1]:25',
      // syslog repeat compression, a verdict the fast readers leave to the expressions, a broken line
      'Jun  8 23:14:28 proxy2 postfix/postscreen[473]: message repeated 2 times: [ CONNECT from [192.0.2.77]:3608 to [192.0.2.1]:25]',
      'Jun  8 23:14:28 proxy2 postfix/postscreen[473]: ALLOWLISTED [192.0.2.77]:3608',
      'Jun  8 23:14:28 proxy2 postfix/postscreen[473]: CONNECT from [192.0.2.77]:3608',
      'Jun  8 23:14:28 proxy2 postfix/postscreen[4x3]: CONNECT from [192.0.2.77]:3608 to [192.0.2.1]:25',
      'Jun  8 23:14:28 proxy2 postfix/dnsblog[473]: addr 192.0.2.77 listed by domain',
      // smtpd on a host not (yet) seen running postscreen: its sessions are connections
      'Jun  8 23:14:28 proxy2 postfix/smtpd[473]: connect from unknown[192.0.2.77]',
      // a Unicode space (NBSP) where the expressions' \S+ stops: the lane reads bytes, and leaves it
      'Jun  8 23:14:28 proxy2 postfix/dnsblog[473]: addr 192.0.2.77\u00a0x listed by domain zen.spamhaus.org as 127.0.0.2',
      // what the parser's envelope reads otherwise (found by the damaged-lines test below): a
      // trailing space it trims, a host field ending in `:` (a program), a `<...>` priority
      'Jun  8 23:14:28 proxy2 postfix/postscreen[473]: CONNECT from [192.0.2.77]:3608 to ',
      'Jun  8 23:14:28 proxy2: postfix/postscreen[473]: DISCONNECT [192.0.2.77]:3608',
      'Jun  8 23:14:28 <proxy2> postfix/postscreen[473]: DISCONNECT [192.0.2.77]:3608',
    ];
    const c = new Correlator(opts);
    for (const l of refused) expect(c.pushLine(l, ctx), l).toBeNaN();
    // also in place, each followed by a line that would complete it if read past its end
    const next = ' to [192.0.2.1]:25 addr listed by domain x as y';
    for (const l of refused) {
      const bytes = Buffer.from(`${l}\n${next}`, 'utf8');
      expect(c.pushBytes(bytes, 0, Buffer.byteLength(l, 'utf8'), ctx), l).toBeNaN();
    }
    const taken = [
      'Jun  8 23:14:28 proxy2 postfix/postscreen[473]: CONNECT from [192.0.2.77]:3608 to [192.0.2.1]:25',
      'Jun  8 23:14:28 proxy2 postfix/dnsblog[474]: addr 192.0.2.77 listed by domain zen.spamhaus.org as 127.0.0.2',
      'Jun  8 23:14:29 proxy2 postfix/postscreen[473]: DNSBL rank 3 for [192.0.2.77]:3608',
      'Jun  8 23:14:29 proxy2 postfix/postscreen[473]: COMMAND TIME LIMIT from [192.0.2.77]:3608 after CONNECT',
      'Jun  8 23:14:30 proxy2 postfix/postscreen[473]: DISCONNECT [192.0.2.77]:3608',
    ];
    const at = taken.map((l) => c.pushLine(l, ctx));
    // now proxy2 runs postscreen: its smtpd sessions make no row, the lane takes their lines
    const session = [
      'Jun  8 23:14:31 proxy2 postfix/smtpd[475]: connect from unknown[192.0.2.78]',
      'Jun  8 23:14:33 proxy2 postfix/smtpd[475]: disconnect from unknown[192.0.2.78] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4',
    ];
    for (const l of session) expect(c.pushLine(l, ctx), l).not.toBeNaN();
    expect(c.pushLine('Jun  8 23:14:33 proxy2 postfix/smtpd[475]: lost connection after RCPT from unknown[192.0.2.78]', ctx)).toBeNaN();
    expect(at[0]).toBe(Date.UTC(2015, 5, 8, 21, 14, 28) / 1000);
    expect(at[4]! - at[0]!).toBe(2);
    const out = c.drain();
    const minute = Math.floor(at[0]! / 60) * 60;
    // first violation decides the outcome: the DNSBL rank, before the command limit
    expect([...out.tally].sort()).toEqual([
      [`${minute}|proxy2|connect`, 1],
      [`${minute}|proxy2|outcome:dnsbl`, 1],
    ]);
    expect(out.recognised).toBe(7);
    expect(out.connections).toEqual([]);
  });

  it('learns that a host runs postscreen from its first CONNECT, even after a PASS came first (a log starting mid-dialogue)', () => {
    const lines = [
      // the log starts after this connection's CONNECT
      'Jun  8 23:14:28 mx9 postfix/postscreen[473]: PASS OLD [192.0.2.10]:4000',
      'Jun  8 23:14:29 mx9 postfix/postscreen[473]: CONNECT from [192.0.2.11]:4001 to [192.0.2.1]:25',
      'Jun  8 23:14:29 mx9 postfix/postscreen[473]: PASS OLD [192.0.2.11]:4001',
      // smtpd after postscreen: not a connection of its own
      'Jun  8 23:14:29 mx9 postfix/smtpd[480]: connect from unknown[192.0.2.11]',
      'Jun  8 23:14:31 mx9 postfix/smtpd[480]: disconnect from unknown[192.0.2.11] ehlo=1 quit=1 commands=2',
    ];
    for (const run of [viaLane(lines, 2015).c, viaParser(lines, 2015)]) {
      run.sweep();
      const out = run.drain();
      expect(out.connections).toEqual([]);
      expect(run.postscreenSnapshot().postscreenHosts).toContain('mx9');
    }
  });

  it('stays equal to the full parser on damaged lines (one character replaced, removed, or the line cut)', async () => {
    const source: string[] = [];
    await generate({ start: '2026-03-10', days: 1, scale: 0.002, tz: 'Europe/Rome', seed: 3, outagePlan: 'default' }, (l) => {
      if (/ postfix\/(postscreen|dnsblog|smtpd)\[/.test(l)) source.push(l);
    });
    expect(source.length).toBeGreaterThan(2000);
    const rng = new Rng(5);
    const pick = (n: number) => Math.floor(rng.next() * n);
    // characters that move the readers' decisions: separators, digits, a Unicode space, UTF-8
    const swaps = [' ', ']', '[', ':', '.', '0', '9', 'x', '/', '\u00a0', 'é', '\t', ''];
    const damaged = source.map((l) => {
      // most of the message is after the tag: damage there more often than in the envelope
      const at = pick(3) === 0 ? pick(l.length) : l.length - 1 - pick(Math.min(l.length, 60));
      if (pick(10) === 0) return l.slice(0, at);
      return l.slice(0, at) + swaps[pick(swaps.length)]! + l.slice(at + 1);
    });
    // damaged lines among intact ones: the open connections they touch stay in play
    const lines = source.flatMap((l, i) => [l, damaged[i]!]);
    const reference = comparable(viaParser(lines, 2026));
    const lane = viaLane(lines, 2026);
    expect(comparable(lane.c)).toEqual(reference);
    expect(comparable(viaLaneInPlace(lines, 2026).c)).toEqual(reference);
    // the lane still took most lines, and refused some damaged ones
    expect(lane.taken).toBeGreaterThan(source.length);
    expect(lane.taken).toBeLessThan(lines.length);
  });

  it('matches a host seen before only whole, and reads an address as a dotted quad only when it is one', () => {
    const hosts = ['mx1.unipi.it', 'mx1.unipi.it.x', 'mx1.unipi.i', 'mx1.unipi.it:', 'mx1', 'mx1.unipi.itmx1.unipi.it'];
    const addresses = ['192.0.2.77', '192.0.2.256', '192.0.2', '192.0.2.7.7', '0192.0.2.7', '192..2.7', '::ffff:192.0.2.7', '2001:db8::7', '192.0.2.7x'];
    const lines: string[] = [];
    let port = 4000;
    for (const ip of addresses) {
      for (const host of hosts) {
        port++;
        lines.push(
          `Jun  8 23:14:28 ${host} postfix/postscreen[473]: CONNECT from [${ip}]:${port} to [192.0.2.1]:25`,
          `Jun  8 23:14:29 ${host} postfix/postscreen[473]: DNSBL rank 2 for [${ip}]:${port}`,
          `Jun  8 23:14:29 ${host} postfix/postscreen[473]: HANGUP after 0.5 from [${ip}]:${port} in tests after SMTP handshake`,
        );
        // every other connection stays open: its key is in the saved state, compared too
        if (port % 2 === 0) lines.push(`Jun  8 23:14:30 ${host} postfix/postscreen[473]: DISCONNECT [${ip}]:${port}`);
      }
    }
    const reference = comparable(viaParser(lines, 2015)) as { state: { connections: unknown[] } };
    expect(reference.state.connections.length).toBeGreaterThan(20);
    const inPlace = viaLaneInPlace(lines, 2015);
    expect(comparable(inPlace.c)).toEqual(reference);
    // the host ending in `:` is a program field: its lines are left to the parser
    expect(inPlace.taken).toBe(lines.length - lines.filter((l) => l.includes(' mx1.unipi.it: ')).length);
  });
});
