// One postscreen grammar (collectors/parse/postscreen-grammar.ts) drives both readers of the
// verdicts: the parser's regular expressions and the lane's byte reader. Every reader is run
// over the table's samples and over every postscreen line of the corpus, and must give the same
// answer, or (the byte reader) leave the line to the parser.
import { describe, expect, it } from 'vitest';
import { parseLine } from '../../collectors/parse/parse-line';
import { yearFromStart } from '../../collectors/parse/year';
import { POSTSCREEN_VERDICTS, PsVerdict } from '../../collectors/parse/postscreen-grammar';
import { decodePostscreenBytes, decodedBytes } from '../../collectors/parse/postscreen-bytes';
import type { MailEvent } from '../../collectors/parse/events';
import { allCorpusLines } from '../helpers/corpus';

const ctx = { tz: 'Europe/Rome', year: yearFromStart(2026) };
const HEAD = 'Mar 10 00:00:01 mx1.unipi.it postfix/postscreen[473]: ';

/** What the byte reader makes of a message: null when it leaves it to the parser. */
function viaBytes(message: string): Record<string, unknown> | null {
  const b = Buffer.from(message, 'utf8');
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const verdict = decodePostscreenBytes(b, v, 0, b.length);
  if (verdict === PsVerdict.Unsure) return null;
  const d = decodedBytes;
  const key = b.toString('utf8', d.keyStart, d.keyEnd);
  const ip = key.slice(0, key.lastIndexOf(']:'));
  switch (verdict) {
    case PsVerdict.Connect:
      return { kind: 'postscreen.connect', clientIp: ip, clientPort: d.port };
    case PsVerdict.Disconnect:
      return { kind: 'postscreen.disconnect', clientIp: ip, clientPort: d.port };
    case PsVerdict.Pass:
      return { kind: 'postscreen.pass', how: d.how, clientIp: ip, clientPort: d.port };
    default:
      return { kind: 'postscreen.violation', test: d.test, rank: d.rank, clientIp: ip, clientPort: d.port };
  }
}

/** The parser's event, in the byte reader's terms (it keeps no detail text). */
function viaParser(ev: MailEvent): Record<string, unknown> | null {
  switch (ev.kind) {
    case 'postscreen.connect':
    case 'postscreen.disconnect':
      return { kind: ev.kind, clientIp: ev.clientIp, clientPort: ev.clientPort };
    case 'postscreen.pass':
      return { kind: ev.kind, how: ev.how, clientIp: ev.clientIp, clientPort: ev.clientPort };
    case 'postscreen.violation':
      return { kind: ev.kind, test: ev.test, rank: ev.rank, clientIp: ev.clientIp, clientPort: ev.clientPort };
    default:
      return null;
  }
}

const KIND: Record<PsVerdict, string> = {
  [PsVerdict.Unsure]: '',
  [PsVerdict.Connect]: 'postscreen.connect',
  [PsVerdict.Pass]: 'postscreen.pass',
  [PsVerdict.Violation]: 'postscreen.violation',
  [PsVerdict.Disconnect]: 'postscreen.disconnect',
};

describe('the postscreen grammar', () => {
  for (const rule of POSTSCREEN_VERDICTS) {
    it(`reads ${rule.keyword.trim()} the same way in every reader`, () => {
      expect(rule.sample.startsWith(rule.keyword)).toBe(true);
      const ev = parseLine(HEAD + rule.sample, ctx);
      const parsed = viaParser(ev);
      expect(parsed?.kind).toBe(KIND[rule.verdict]);
      if (rule.how) expect(parsed?.how).toBe(rule.how);
      if (rule.test) expect(parsed?.test).toBe(rule.test);
      // the client address is the first bracketed one of the sample
      const m = /\[([^\]]+)\]:(\d+)/.exec(rule.sample)!;
      expect(parsed).toMatchObject({ clientIp: m[1], clientPort: Number(m[2]) });
      if (rule.lane) expect(viaBytes(rule.sample)).toEqual(parsed);
      else expect(viaBytes(rule.sample)).toBeNull();
      // a keyword is recognised as written only: in lower case it is no verdict
      const lower = rule.keyword.toLowerCase() + rule.sample.slice(rule.keyword.length);
      expect(parseLine(HEAD + lower, ctx).kind.startsWith('postscreen.')).toBe(false);
      expect(viaBytes(lower)).toBeNull();
    });
  }

  it('gives the same verdict in both readers on every postscreen line of the corpus', () => {
    let lines = 0;
    let byBytes = 0;
    for (const line of allCorpusLines()) {
      const p = line.indexOf('/postscreen[');
      if (p < 0) continue;
      const m = line.indexOf(']: ', p);
      if (m < 0) continue;
      const message = line.slice(m + 3);
      const ev = parseLine(line, ctx);
      lines++;
      const bytes = viaBytes(message);
      if (bytes === null) continue;
      byBytes++;
      expect(viaParser(ev), line).toEqual(bytes);
    }
    expect(lines).toBeGreaterThan(20);
    expect(byBytes).toBeGreaterThan(10);
  });
});
