// What the country tallies must say about a log: the CONNECTs of its postscreen lines, each
// client looked up alone with GeoIp (the default config), against geo_hour's connections.
import { GeoIp } from '../../collectors/enrich/geoip';
import { configSchema } from '../../core/config/schema';
import type { Db } from '../../core/db/open';

export const POSTSCREEN_CONNECT = /postscreen\[\d+\]: CONNECT from \[([^\]]+)\]:\d+/;

/** CONNECTs by the country of their client, one look-up per line. */
export function connectsByCountry(lines: readonly string[]): Map<string, number> {
  const geoip = new GeoIp(configSchema.parse({}).geoip);
  const out = new Map<string, number>();
  for (const l of lines) {
    const m = POSTSCREEN_CONNECT.exec(l);
    if (m === null) continue;
    const country = geoip.country(m[1]!);
    out.set(country, (out.get(country) ?? 0) + 1);
  }
  return out;
}

/** geo_hour's connections by country. */
export function talliedConnectsByCountry(db: Db): Map<string, number> {
  const rows = db.prepare(`SELECT country, sum(n) AS n FROM geo_hour WHERE metric = 'connect' GROUP BY country`).all() as Array<{ country: string; n: number }>;
  return new Map(rows.map((r) => [r.country, r.n]));
}
