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

  it('keeps its counts when more metrics come than it has room for', () => {
    const t = new GeoTally();
    const hour = 1_772_409_600;
    const it = countryCode('IT');
    t.add({ metrics: ['connect'], counts: [hour, it, 0, 5, hour + 3600, countryCode('NG'), 0, 2] });
    // 40 metrics: its room grows twice, with counts already in it
    const metrics = Array.from({ length: 40 }, (_, i) => `outcome:m${i}`);
    t.add({ metrics, counts: metrics.flatMap((_, i) => [hour, it, i, i + 1]) });
    t.add({ metrics: ['outcome:m39', 'connect'], counts: [hour, it, 0, 60, hour, it, 1, 1] });
    const rows = new Map([...t.rows()].map(([h, c, m, n]) => [`${h} ${c} ${m}`, n]));
    expect(rows.size).toBe(42);
    expect(rows.get(`${hour} IT connect`)).toBe(6);
    expect(rows.get(`${hour + 3600} NG connect`)).toBe(2);
    expect(rows.get(`${hour} IT outcome:m0`)).toBe(1);
    expect(rows.get(`${hour} IT outcome:m17`)).toBe(18);
    expect(rows.get(`${hour} IT outcome:m39`)).toBe(100);
  });
});
