// Country codes mean the same number in every thread: the lane's tallies travel as numbers.
import { describe, it, expect } from 'vitest';
import { COUNTRY_CODES, countryCode, countryName, geoLabels } from '../../collectors/correlate/country-codes';
import { GeoTally } from '../../collectors/store/geo-tally';

describe('country codes', () => {
  it('give every ISO pair and label a number of its own, and back', () => {
    const seen = new Set<number>();
    for (let a = 65; a < 91; a++) for (let b = 65; b < 91; b++) seen.add(countryCode(String.fromCharCode(a, b)));
    for (const l of geoLabels) seen.add(countryCode(l));
    expect(seen.size).toBe(COUNTRY_CODES);
    for (const c of seen) expect(countryCode(countryName(c))).toBe(c);
    expect(countryName(countryCode('IT'))).toBe('IT');
    expect(countryName(countryCode('site'))).toBe('site');
  });

  it('call anything else unknown', () => {
    for (const x of ['', 'it', 'ITA', 'I', '<script>', 'A1']) expect(countryName(countryCode(x))).toBe('unknown');
  });
});

describe('GeoTally', () => {
  it("sums batches whose senders number metrics differently, by the metrics' names", () => {
    const t = new GeoTally();
    const hour = 1_772_409_600; // 2026-03-02T00:00Z
    t.add({ metrics: ['connect', 'pass'], counts: [hour, countryCode('IT'), 0, 3, hour, countryCode('IT'), 1, 2] });
    t.add({ metrics: ['pass', 'connect'], counts: [hour, countryCode('IT'), 1, 4, hour + 3600, countryCode('US'), 0, 1] });
    expect([...t.rows()].sort()).toEqual(
      [
        [hour, 'IT', 'connect', 7],
        [hour, 'IT', 'pass', 2],
        [hour + 3600, 'US', 'pass', 1],
      ].sort(),
    );
    t.clear();
    expect([...t.rows()]).toEqual([]);
  });
});
