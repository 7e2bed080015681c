// The benches' median and its 95% interval (the figures the benchmark notes quote).
import { describe, it, expect } from 'vitest';
import { median, medianInterval } from '../../bench/stats';

describe('bench statistics', () => {
  it('the median of odd and even counts, in any order', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(3);
  });

  it("the interval is the order statistics the binomial tables give for the median's 95%", () => {
    const ranks = (n: number): [number, number] | null => medianInterval(Array.from({ length: n }, (_, i) => n - i));
    // n: the k-th smallest and k-th largest (1-based), P(Binomial(n, 1/2) < k) at most 2.5%
    expect(ranks(5)).toBeNull();
    expect(ranks(6)).toEqual([1, 6]);
    expect(ranks(10)).toEqual([2, 9]);
    expect(ranks(20)).toEqual([6, 15]);
    expect(ranks(40)).toEqual([14, 27]);
    expect(ranks(80)).toEqual([31, 50]);
  });
});
