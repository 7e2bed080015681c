// Approximate centres of countries (latitude, longitude in degrees), for the travel check when
// the GeoIP file has no coordinates (the DB-IP country file has none). A centre stands for the
// whole country: the travel check therefore also needs a minimum distance (config), and a
// country missing here is never a travel endpoint. Large countries use their populated centre.
const C: Record<string, [number, number]> = {
  AE: [24.0, 54.0], AR: [-34.6, -60.0], AT: [47.5, 14.5], AU: [-33.0, 147.0], BA: [44.0, 17.8], BD: [23.7, 90.4],
  BE: [50.6, 4.6], BG: [42.7, 25.3], BR: [-15.8, -47.9], BY: [53.7, 28.0], CA: [45.5, -75.0], CH: [46.8, 8.2],
  CL: [-33.4, -70.6], CN: [32.0, 112.0], CO: [4.6, -74.1], CY: [35.1, 33.4], CZ: [49.8, 15.5], DE: [51.2, 10.4],
  DK: [56.0, 10.0], DZ: [36.0, 3.0], EC: [-1.8, -78.2], EE: [58.6, 25.0], EG: [30.0, 31.2], ES: [40.4, -3.7],
  FI: [61.9, 25.7], FR: [46.6, 2.4], GB: [52.4, -1.5], GE: [42.3, 43.4], GR: [39.1, 22.0], HK: [22.3, 114.2],
  HR: [45.1, 15.2], HU: [47.2, 19.5], ID: [-6.2, 106.8], IE: [53.4, -8.2], IL: [31.5, 34.9], IN: [22.0, 79.0],
  IQ: [33.2, 43.7], IR: [32.4, 53.7], IS: [64.1, -21.9], IT: [42.8, 12.5], JO: [31.9, 35.9], JP: [36.2, 138.3],
  KE: [-1.3, 36.8], KR: [36.5, 127.9], KZ: [48.0, 68.0], LB: [33.9, 35.9], LT: [55.2, 23.9], LU: [49.8, 6.1],
  LV: [56.9, 24.6], MA: [32.0, -6.8], MD: [47.4, 28.4], ME: [42.7, 19.4], MK: [41.6, 21.7], MT: [35.9, 14.4],
  MX: [19.4, -99.1], MY: [3.1, 101.7], NG: [9.1, 8.7], NL: [52.1, 5.3], NO: [60.5, 8.5], NZ: [-41.0, 174.0],
  PE: [-12.0, -77.0], PH: [14.6, 121.0], PK: [30.4, 69.3], PL: [51.9, 19.1], PT: [39.4, -8.2], RO: [45.9, 25.0],
  RS: [44.0, 21.0], RU: [55.8, 37.6], SA: [24.7, 46.7], SE: [60.1, 18.6], SG: [1.35, 103.8], SI: [46.1, 14.8],
  SK: [48.7, 19.7], SM: [43.9, 12.4], TH: [13.8, 100.5], TN: [34.0, 9.5], TR: [39.0, 35.2], TW: [23.7, 121.0],
  UA: [49.0, 31.4], US: [39.8, -98.6], UY: [-34.9, -56.2], UZ: [41.4, 64.6], VA: [41.9, 12.45], VE: [10.5, -66.9],
  VN: [16.0, 106.0], ZA: [-29.0, 24.0],
};

/** The centre of a country by ISO code, or null when unknown here (or a label such as `site`). */
export function countryCentroid(code: string): { lat: number; lon: number } | null {
  const c = C[code];
  return c ? { lat: c[0], lon: c[1] } : null;
}

/** Great-circle distance in km (haversine, mean Earth radius). */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}
