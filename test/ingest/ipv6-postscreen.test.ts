// Postscreen counts do not depend on the address family. A generated day with a third of its
// postscreen clients moved to IPv6 (as the large providers connect to a real MX) gives the same
// connection tallies and daily figures as the day itself, and the moved clients count in the
// countries GeoIP gives their IPv6 addresses. IPv4 clients take the postscreen lane's fast path;
// IPv6 ones do not.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { tmpDir, generatedLines, oneShot } from '../helpers/follow-env';
import type { Db } from '../../core/db/open';
import { moveClientToIpv6 } from '../../collectors/generate/ipv6-clients';
import { GeoIp } from '../../collectors/enrich/geoip';
import { configSchema } from '../../core/config/schema';

let env: ReturnType<typeof tmpDir>;
let lines: string[];
beforeAll(async () => {
  env = tmpDir('ipv6');
  lines = await generatedLines(0.02, env.dir);
});
afterAll(() => env.cleanup());

const tallies = (db: Db): unknown => db.prepare(`SELECT metric, sum(n) AS n FROM connection_tally GROUP BY metric ORDER BY metric`).all();
/** Every daily figure, by date. */
const days = (db: Db): unknown => db.prepare(`SELECT date, figures FROM rollup_day WHERE tz = 'Europe/Rome' ORDER BY date`).all();
const CONNECT = /postscreen\[\d+\]: CONNECT from \[([^\]]+)\]:\d+/;

describe('postscreen clients over IPv6', () => {
  it('count as they do over IPv4, in the countries of their IPv6 addresses', async () => {
    const moved = lines.map((l) => moveClientToIpv6(l, 0.3));
    const v6Connects = moved.filter((l) => CONNECT.exec(l)?.[1]?.includes(':')).length;
    const connects = moved.filter((l) => CONNECT.test(l)).length;
    expect(v6Connects).toBeGreaterThan(connects * 0.2);
    expect(v6Connects).toBeLessThan(connects * 0.4);
    const v4 = await oneShot(lines, env.dir, 'v4');
    const v6 = await oneShot(moved, env.dir, 'v6');
    try {
      expect(tallies(v6)).toEqual(tallies(v4));
      expect(days(v6)).toEqual(days(v4));
      expect(JSON.stringify(days(v4))).toContain('connections_passed');
      const geoip = new GeoIp(configSchema.parse({}).geoip);
      const expected = new Map<string, number>();
      for (const l of moved) {
        const m = CONNECT.exec(l);
        if (m === null) continue;
        const country = geoip.country(m[1]!);
        expected.set(country, (expected.get(country) ?? 0) + 1);
      }
      const byCountry = v6.prepare(`SELECT country, sum(n) AS n FROM geo_hour WHERE metric = 'connect' GROUP BY country`).all() as Array<{ country: string; n: number }>;
      expect(new Map(byCountry.map((r) => [r.country, r.n]))).toEqual(expected);
      // every pool is in the file: no moved client is without a country
      expect(expected.get('unknown') ?? 0).toBe(0);
    } finally {
      v4.close();
      v6.close();
    }
  });
});
