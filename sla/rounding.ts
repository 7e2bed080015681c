// Availability shown to at least 5 decimals and always rounded DOWN: an outage of one second
// in a year (99.99999683%) must never read 100%.

/** Decimals kept on the ratio: 7 = 5 decimals of the percentage (99.99950%). */
export const RATIO_DECIMALS = 7;
const SCALE = 10 ** RATIO_DECIMALS;

/**
 * floor((up / total) * 10^7) / 10^7, exact: the integer is corrected against the products, so
 * that a float error of 1e-16 neither rounds 0.999995 down to 0.9999949 nor anything up.
 */
export function floorRatio(up: number, total: number): number {
  if (total <= 0) return 1;
  if (up >= total) return 1;
  if (up <= 0) return 0;
  let r = Math.floor((up / total) * SCALE);
  while ((r + 1) * total <= up * SCALE) r++;
  while (r > 0 && r * total > up * SCALE) r--;
  return r / SCALE;
}

/** A ratio as a percentage string with 5 decimals, trailing zeros trimmed: 0.999995 → "99.9995". */
export function formatPercent(ratio: number | null): string {
  if (ratio === null) return '—';
  const n = Math.round(ratio * SCALE); // ratio already floored to 7 decimals: this only undoes float noise
  const int = Math.floor(n / 100_000);
  const frac = String(n % 100_000).padStart(5, '0').replace(/0+$/, '');
  return frac ? `${int}.${frac}` : String(int);
}
