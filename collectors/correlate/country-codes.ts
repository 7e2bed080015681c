// Countries as small numbers that mean the same in every thread and process: an ISO 3166 code
// `XY` is (X - 'A') * 26 + (Y - 'A'), and the labels follow. The postscreen lane counts a
// million connections a day by country; the counts travel to the ingest thread as numbers.

/** What a look-up answers besides an ISO country code. */
export type GeoLabel = 'private' | 'loopback' | 'site' | 'unknown';
export const geoLabels: readonly GeoLabel[] = ['private', 'loopback', 'site', 'unknown'];

const ISO_CODES = 26 * 26;

/** The number of codes: every ISO pair of capitals, then the labels. */
export const COUNTRY_CODES = ISO_CODES + geoLabels.length;

const UNKNOWN_COUNTRY = ISO_CODES + geoLabels.indexOf('unknown');

/** The code of an ISO code or a label; anything else is `unknown`. */
export function countryCode(name: string): number {
  if (name.length === 2) {
    const a = name.charCodeAt(0) - 65;
    const b = name.charCodeAt(1) - 65;
    if (a >= 0 && a < 26 && b >= 0 && b < 26) return a * 26 + b;
  }
  const label = geoLabels.indexOf(name as GeoLabel);
  return label >= 0 ? ISO_CODES + label : UNKNOWN_COUNTRY;
}

export function countryName(code: number): string {
  if (code >= 0 && code < ISO_CODES) return String.fromCharCode(65 + Math.floor(code / 26), 65 + (code % 26));
  return geoLabels[code - ISO_CODES] ?? 'unknown';
}

/**
 * A batch's country tallies: `counts` holds [hour, country code, metric, n] four numbers at a
 * time, the metric as an index into `metrics` (the sender's names: the threads need not agree
 * on numbering).
 */
export interface GeoCounts {
  metrics: string[];
  counts: number[];
}

export function emptyGeoCounts(): GeoCounts {
  return { metrics: [], counts: [] };
}
