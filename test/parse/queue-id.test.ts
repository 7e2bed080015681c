// Queue ids by Postfix's own definition: thousands of ids made as Postfix makes them (both
// forms) are recognised, in isQid and in whole lines; words of the same lengths are not.
import { describe, expect, it } from 'vitest';
import { isQid, longQid, shortQid, SAFE_CHARS } from '../../collectors/parse/queue-id';
import { parseLine } from '../../collectors/parse/parse-line';
import { yearFromStart } from '../../collectors/parse/year';
import { Rng } from '../../collectors/generate/prng';

const rng = new Rng(12);
const p = (line: string) => parseLine(line, { tz: 'Europe/Rome', year: yearFromStart(2025) });

/** A long id made as mail_queue_enter makes it, at a random instant of 2001-2100 and a 32- or 64-bit inode. */
function randomLong(): string {
  const sec = 978_307_200 + rng.int(3_155_760_000);
  const inode = rng.next() < 0.8 ? 1 + rng.int(2 ** 32 - 1) : 2 ** 32 + rng.int(2 ** 52);
  return longQid(sec, rng.int(1_000_000), inode);
}

function randomShort(): string {
  return shortQid(rng.int(1_000_000), rng.next() < 0.5 ? 1 + rng.int(2 ** 32 - 1) : 1 + rng.int(2 ** 52));
}

// Same lengths as ids (6 to 24 characters), from real Postfix messages and host names.
const WORDS = [
  'warning', 'statistics', 'NOQUEUE', 'Deleted', 'Requeued', 'mynetworks', 'request', 'connection', 'disconnect',
  'postfix-script', 'localhost', 'mx1unipiit', 'mbox1', 'smtp-amavis', 'DEADBEEF-1', 'transmitted',
  'lmtp-unipi', 'Anonymous', 'dict_proxy_open', 'postscreen', 'WHITELISTED', 'PASSNEW', 'ALLOWLISTED', 'sasl_method',
  'improper', 'Trusted', 'ZZZZZZZZZZZZZ', 'zzzzzzzzzzzzzz', 'bcdfghjklmnz', 'bcdfghjklmnpz', '0123456789z', 'abcdefghijklzmn',
  'ABCDE', 'A1B2C3D4E5F6G7', 'mail-server-01', '12345', 'relay_domains', 'cleanup_milter', 'Bcdfghjklmnpqrstvwxyz0123',
];

describe('queue ids by Postfix definition', () => {
  it('recognises 3,000 long ids made as Postfix makes them, all-lower-case ones among them', () => {
    let lower = 0;
    for (let i = 0; i < 3000; i++) {
      const q = randomLong();
      if (!/[A-Z]/.test(q)) lower++;
      expect(isQid(q), q).toBe(true);
    }
    // the example and ids of the day it was seen, whose time part has no capital
    for (const q of ['4dhkq9x2lmzrtp3w', longQid(1_767_177_600, 0, 1).replace(/[A-Z]/g, 'b'), longQid(1_767_225_999, 999_999, 2 ** 32 - 1).replace(/[A-Z]/g, 'q')]) {
      expect(/[A-Z]/.test(q)).toBe(false);
      expect(isQid(q), q).toBe(true);
      lower++;
    }
    expect(lower).toBeGreaterThan(3);
  });

  it('recognises 3,000 short ids made as Postfix makes them', () => {
    for (let i = 0; i < 3000; i++) {
      const q = randomShort();
      expect(isQid(q), q).toBe(true);
    }
    expect(isQid(shortQid(0, 1))).toBe(true);
    expect(isQid(shortQid(999_999, 2 ** 52))).toBe(true);
  });

  it('long ids: the alphabet of the time part holds z, the inode part never does', () => {
    // time part ending in z (the last `z` at index 10 or more is the separator)
    expect(isQid(`${'4dhkqz'}${'0001'}z${'q'}`)).toBe(true);
    // inode part with a vowel or a z after the separator: no separator at index >= 10
    expect(isQid('4dhkq90001za')).toBe(false);
    // a character outside the alphabet (a vowel) anywhere
    expect(isQid(`4dhkq9${SAFE_CHARS[7]}a01zq`)).toBe(false);
    expect(isQid('4dhkq90001zqe')).toBe(false);
    // short: upper-case hexadecimal only, at least six digits
    expect(isQid('F423FA')).toBe(true);
    expect(isQid('F423Fa')).toBe(false);
    expect(isQid('F423F')).toBe(false);
  });

  it('refuses words of the same lengths', () => {
    for (const w of WORDS) expect(isQid(w), w).toBe(false);
  });

  it('a line of each form is read with its id, an all-lower-case long id included', () => {
    const ids = ['4dhkq9x2lmzrtp3w', longQid(1_767_177_600, 123_456, 9_999_999).replace(/[A-Z]/g, 'x'), randomShort(), randomLong()];
    for (const q of ids) {
      expect(p(`Dec 31 10:00:00 mx1 postfix/qmgr[1234]: ${q}: removed`), q).toMatchObject({ kind: 'qmgr.removed', qid: q });
      expect(p(`Dec 31 10:00:00 mx1 postfix/cleanup[1234]: ${q}: message-id=<a@b>`), q).toMatchObject({ kind: 'cleanup.message-id', qid: q });
      expect(
        p(`Dec 31 10:00:00 mx1 postfix/smtpd[1234]: ${q}: reject: RCPT from x.example[192.0.2.1]: 550 5.1.1 <a@unipi.it>: Recipient address rejected: User unknown; from=<s@example.org> to=<a@unipi.it> proto=ESMTP helo=<x.example>`),
        q,
      ).toMatchObject({ kind: 'postfix.reject', qid: q, from: 's@example.org', to: 'a@unipi.it' });
    }
  });

  it('lines that start with a word are not read as a queue id', () => {
    for (const msg of ['warning: hostname x does not resolve', 'statistics: max connection rate 1/60s', 'Deleted: 2 messages', 'mynetworks: 127.0.0.0/8']) {
      const e = p(`Dec 31 10:00:00 mx1 postfix/anvil[1234]: ${msg}`);
      expect((e as { qid?: unknown }).qid, msg).toBeUndefined();
    }
  });
});
