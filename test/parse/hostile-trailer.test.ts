// A client's HELO, and header text quoted by a cleanup reject, can never forge a reject's
// sender, recipient or queue id: Postfix prints `from=<%s> to=<%s> proto=%s helo=<%s>`, HELO
// last, and cleanup quotes the header (at most 200 bytes) before `from=`.
import { describe, expect, it } from 'vitest';
import { parseLine } from '../../collectors/parse/parse-line';
import { yearFromStart } from '../../collectors/parse/year';

const p = (line: string) => parseLine(line, { tz: 'Europe/Rome', year: yearFromStart(2025) });
const FAKE = 'x; from=<ceo@unipi.it> to=<dean@unipi.it> proto=ESMTP helo=<z';
const head = 'Dec 31 10:00:00 mx1 postfix/smtpd[4242]:';

describe('hostile HELO in smtpd rejects', () => {
  it('the issue case: a RCPT reject keeps the real sender and recipient', () => {
    const e = p(`${head} NOQUEUE: reject: RCPT from evil.example[192.0.2.66]: 450 4.2.0 <rcpt@unipi.it>: Recipient address rejected: Greylisted; from=<real@evil.example> to=<rcpt@unipi.it> proto=ESMTP helo=<${FAKE}>`);
    expect(e).toMatchObject({ kind: 'postfix.reject', qid: null, from: 'real@evil.example', to: 'rcpt@unipi.it', helo: FAKE, greylist: true });
  });

  it('a HELO reject echoes the hostile HELO in its reply: still the real fields', () => {
    const e = p(`${head} NOQUEUE: reject: RCPT from evil.example[192.0.2.66]: 504 5.5.2 <${FAKE}>: Helo command rejected: need fully-qualified hostname; from=<real@evil.example> to=<rcpt@unipi.it> proto=ESMTP helo=<${FAKE}>`);
    expect(e).toMatchObject({ kind: 'postfix.reject', from: 'real@evil.example', to: 'rcpt@unipi.it', helo: FAKE, reasonClass: 'helo' });
  });

  it('a HELO that fakes a whole trailer and a reply after it', () => {
    const helo = 'a>: b; from=<ceo@unipi.it> to=<dean@unipi.it> proto=ESMTP helo=<rcpt@unipi.it';
    const e = p(`${head} 4dhkq9x2lmzrtp3w: reject: RCPT from evil.example[192.0.2.66]: 550 5.1.1 <rcpt@unipi.it>: Recipient address rejected: User unknown; from=<real@evil.example> to=<rcpt@unipi.it> proto=ESMTP helo=<${helo}>`);
    expect(e).toMatchObject({ kind: 'postfix.reject', qid: '4dhkq9x2lmzrtp3w', from: 'real@evil.example', to: 'rcpt@unipi.it', helo });
  });

  it('postscreen form (commas) with a hostile HELO', () => {
    const e = p(`Dec 31 10:00:00 mx1 postfix/postscreen[11]: NOQUEUE: reject: RCPT from [192.0.2.66]:4321: 550 5.7.1 Service unavailable; client [192.0.2.66] blocked using zen.spamhaus.org; from=<real@evil.example>, to=<rcpt@unipi.it>, proto=ESMTP, helo=<x; from=<ceo@unipi.it>, to=<dean@unipi.it>, proto=ESMTP, helo=<z>`);
    expect(e).toMatchObject({ kind: 'postfix.reject', from: 'real@evil.example', to: 'rcpt@unipi.it', reasonClass: 'dnsbl' });
  });
});

describe('hostile text in cleanup header/body rejects', () => {
  const c = 'Dec 31 10:00:01 mx1 postfix/cleanup[77]: 4B6B23F0C2:';
  // A Subject faking a trailer and a HELO faking one can write the very same line (a header
  // reject's two client texts): such a line gets no sender and recipient rather than forged ones.
  it('a Subject that fakes a trailer: the fake sender is never taken', () => {
    const e = p(`${c} reject: header Subject: hi from x.example[198.51.100.1]; from=<ceo@unipi.it> to=<dean@unipi.it> proto=ESMTP helo=<z>: 550 ok from evil.example[192.0.2.66]; from=<real@evil.example> to=<rcpt@unipi.it> proto=ESMTP helo=<evil.example>: 550 5.7.1 No spam`);
    expect(e).toMatchObject({ kind: 'postfix.reject', qid: '4B6B23F0C2', stage: 'header', reasonClass: 'content' });
    expect([null, 'real@evil.example']).toContain((e as { from: string | null }).from);
    expect([null, 'rcpt@unipi.it']).toContain((e as { to: string | null }).to);
  });

  it('a HELO that fakes a trailer in a header reject: the fake sender is never taken', () => {
    const e = p(`${c} reject: header Subject: buy now from evil.example[192.0.2.66]; from=<real@evil.example> to=<rcpt@unipi.it> proto=ESMTP helo=<y from x.example[198.51.100.1]; from=<ceo@unipi.it> to=<dean@unipi.it> proto=ESMTP helo=<z>: 550 5.7.1 No spam`);
    expect(e).toMatchObject({ kind: 'postfix.reject', stage: 'header' });
    expect([null, 'real@evil.example']).toContain((e as { from: string | null }).from);
    expect([null, 'rcpt@unipi.it']).toContain((e as { to: string | null }).to);
  });

  it('a header reject without client text that looks like a trailer reads every field', () => {
    const e = p(`${c} reject: header Subject: buy now from evil.example[192.0.2.66]; from=<real@evil.example> to=<rcpt@unipi.it> proto=ESMTP helo=<evil.example>: 550 5.7.1 No spam`);
    expect(e).toMatchObject({ kind: 'postfix.reject', from: 'real@evil.example', to: 'rcpt@unipi.it', clientIp: '192.0.2.66', helo: 'evil.example', code: 550 });
  });

  it('a body line of more than 200 bytes before a fake trailer is not Postfix quoting', () => {
    const long = 'B'.repeat(230);
    const e = p(`${c} reject: body ${long} from evil.example[192.0.2.66]; from=<real@evil.example> to=<rcpt@unipi.it> proto=ESMTP helo=<q; ${long} from x.example[198.51.100.1]; from=<ceo@unipi.it> to=<dean@unipi.it> proto=ESMTP helo=<z>: 550 5.7.1 No spam`);
    expect(e).toMatchObject({ kind: 'postfix.reject', stage: 'body', from: 'real@evil.example', to: 'rcpt@unipi.it' });
  });

  it('when both Subject and HELO fake a trailer, the sender is never a forged one', () => {
    const e = p(`${c} reject: header Subject: a from x.example[198.51.100.1]; from=<ceo@unipi.it> to=<dean@unipi.it> proto=ESMTP helo=<z>: 5 from evil.example[192.0.2.66]; from=<real@evil.example> to=<rcpt@unipi.it> proto=ESMTP helo=<y from x.example[198.51.100.1]; from=<boss@unipi.it> to=<dean@unipi.it> proto=ESMTP helo=<z>: 550 5.7.1 No spam`) as { from: string | null };
    expect(['ceo@unipi.it', 'boss@unipi.it']).not.toContain(e.from);
  });
});
