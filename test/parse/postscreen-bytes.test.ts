// Keyword matching four bytes at a time must answer exactly as a compare per byte would.
import { describe, expect, it } from 'vitest';
import { bytesAt, Keyword, keywordAt, ascii } from '../../collectors/parse/postscreen-bytes';

describe('keywordAt', () => {
  const text = Buffer.from('xx PASS OLD [192.0.2.7]:4000 postfix/postscreen[473]: ', 'latin1');
  const view = new DataView(text.buffer, text.byteOffset, text.byteLength);

  it('agrees with a byte compare for every keyword length, position and end', () => {
    const words = ['PASS', 'PASS ', 'PASS OL', 'PASS OLD', 'PASS OLD [', 'postfix/postscreen[', 'PASX', 'PASS OLE', 'QASS OLD', 'postfix/postscreen{'];
    let matches = 0;
    for (const w of words) {
      const k = new Keyword(w);
      const bytes = ascii(w);
      for (let i = 0; i < text.length; i++) {
        for (const end of [text.length, i + bytes.length, i + bytes.length - 1].filter((e) => e <= text.length)) {
          const expected = bytesAt(text, i, bytes, end);
          expect(keywordAt(view, i, k, end), `${w} at ${i} end ${end}`).toBe(expected);
          if (expected) matches++;
        }
      }
    }
    // six of the words stand in the text once, each found with two of the ends
    expect(matches).toBe(12);
  });

  it('refuses a keyword shorter than a word, or one past ASCII (its bytes would not be its text)', () => {
    expect(() => new Keyword('to ')).toThrow(/4 bytes/);
    expect(() => new Keyword('mx1.università.it')).toThrow(/ASCII only/);
  });
});
