// The reading thread decides from a line's bytes whether it may read the line itself
// (LineRouting), and from its string whether it does (mayBePostscreenVerdict, mayBeNoqueue).
// The byte tests must agree with the string tests on every ASCII line, read in place in a
// buffer of many lines, in order, as the bulk reader visits them: a "no" where the string test
// says yes would send a postscreen line to the thread that does not hold its connection.
// Lines: the real corpus (test/fixtures/corpus, headers kept there), a generated day, journald
// JSON, and shapes near the edges (a needle cut by the line's end, a tag at 119 and 120).
import { describe, it, expect } from 'vitest';
import { isAscii } from 'node:buffer';
import { LineRouting, mayBeNoqueue, mayBePostscreenVerdict } from '../../collectors/line-routing';
import { generate } from '../../collectors/generate/index';
import { Rng } from '../../collectors/generate/prng';
import { allCorpusLines } from '../helpers/corpus';



function edgeLines(): string[] {
  const tag = (pad: number): string => `Mar 10 00:00:01 mx1 ${'p'.repeat(pad)}postfix/smtpd[1]: NOQUEUE: reject: RCPT from x[192.0.2.1]: 450 nope`;
  return [
    // ']: NOQUEUE: ' at character 118, 119, 120, 121
    ...[83, 84, 85, 86].map(tag),
    'Mar 10 00:00:01 mx1 postfix/postscreen[12]: CONNECT from [192.0.2.1]:4000 to [192.0.2.9]:25',
    'Mar 10 00:00:01 mx1 postfix/postscreen[12]: NOQUEUE: reject: RCPT from [192.0.2.1]:4000: 550 5.7.1 Service unavailable',
    'Mar 10 00:00:01 mx1 postfix/postscreen[12]:',
    'Mar 10 00:00:01 mx1 postfix/postscreen[12]: NOQUEUE:',
    'Mar 10 00:00:01 mx1 postfix/postscreen[12]: NOQUEUE: ',
    'Mar 10 00:00:01 mx1 postfix/postscreen[12',
    'Mar 10 00:00:01 mx1 postfix/postscreen',
    'text ending in /postscreen',
    'text ending in ]: NOQUEUE:',
    '/postscreen[',
    ']: NOQUEUE: ',
    '{"SYSLOG_IDENTIFIER":"postfix/postscreen","MESSAGE":"CONNECT from [192.0.2.1]:1 to [192.0.2.9]:25"}',
    '{"SYSLOG_IDENTIFIER":"postfix/smtpd","MESSAGE":"connect from x[192.0.2.1]"}',
    '{"MESSAGE":"/postscreen',
    '',
    '{',
  ];
}

/** The byte tests on each line in place, in order, with the string tests' answers. */
function compare(lines: string[]): { verdict: [boolean, boolean][]; noqueue: [boolean, boolean][] } {
  const routing = new LineRouting();
  const buf = Buffer.from(lines.join('\n') + '\n', 'utf8');
  const verdict: [boolean, boolean][] = [];
  const noqueue: [boolean, boolean][] = [];
  let start = 0;
  for (const l of lines) {
    const end = start + Buffer.byteLength(l, 'utf8');
    verdict.push([routing.mayBePostscreenVerdict(buf, start, end), mayBePostscreenVerdict(l)]);
    noqueue.push([routing.mayBeNoqueue(buf, start, end), mayBeNoqueue(l)]);
    start = end + 1;
  }
  return { verdict, noqueue };
}

function expectAgreement(lines: string[], noqueueBothWays = true): void {
  const ascii = lines.filter((l) => isAscii(Buffer.from(l, 'utf8')));
  const { verdict, noqueue } = compare(ascii);
  const differ = (pairs: [boolean, boolean][]): string[] => pairs.flatMap(([b, s], i) => (b === s ? [] : [ascii[i]!]));
  expect(differ(verdict)).toEqual([]);
  expect(differ(noqueue)).toEqual([]);
  // both answers occur, or the comparison proves little
  expect(verdict.some(([, s]) => s) && verdict.some(([, s]) => !s)).toBe(true);
  if (noqueueBothWays) expect(noqueue.some(([, s]) => s) && noqueue.some(([, s]) => !s)).toBe(true);
}

describe('the reading thread’s line routing on bytes', () => {
  it('agrees with the string tests on the corpus and the edge shapes', () => {
    expectAgreement([...allCorpusLines(), ...edgeLines()]);
  });

  it('agrees on a generated day, whole and with damaged lines among it', async () => {
    const lines: string[] = [];
    await generate({ start: '2026-03-10', days: 1, scale: 0.005, tz: 'Europe/Rome', seed: 11, outagePlan: 'default' }, (l) => {
      lines.push(l);
    });
    expectAgreement(lines);
    // a character of the tag or of NOQUEUE replaced or cut, the line cut short
    const rng = new Rng(5);
    const damaged = lines.slice(0, 20_000).map((l) => {
      const i = Math.max(l.indexOf('postscreen['), l.indexOf('NOQUEUE'), 0) + rng.int(13);
      switch (rng.int(3)) {
        case 0:
          return l.slice(0, i) + ']' + l.slice(i + 1);
        case 1:
          return l.slice(0, i) + l.slice(i + 1);
        default:
          return l.slice(0, i);
      }
    });
    expectAgreement(damaged);
    // JSON lines as journalctl -o json writes them (no tag, so never a NOQUEUE after one)
    expectAgreement(lines.slice(0, 5_000).map((l) => JSON.stringify({ SYSLOG_IDENTIFIER: l.split(' ')[4]?.replace(/\[.*/, '') ?? '', MESSAGE: l.slice(l.indexOf(': ') + 2) })),
      false,
    );
  });
});
