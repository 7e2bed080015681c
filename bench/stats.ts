// The statistics the benches print over their runs' ratios.

/** The median (the upper one of an even count). */
export function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

/**
 * A 95% confidence interval of the median, from the sorted values' order statistics (the k-th
 * smallest and k-th largest, k from the binomial distribution): it assumes nothing of how the
 * machine's swings are distributed. Null below 6 values, too few for one.
 */
export function medianInterval(xs: readonly number[]): [number, number] | null {
  const n = xs.length;
  let k = 0;
  let below = 0.5 ** n; // P(X <= k) for X ~ Binomial(n, 1/2), k = 0
  while (below <= 0.025) {
    k++;
    let c = 1;
    for (let i = 0; i < k; i++) c = (c * (n - i)) / (i + 1);
    below += c * 0.5 ** n;
  }
  if (k === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return [s[k - 1]!, s[n - k]!];
}
