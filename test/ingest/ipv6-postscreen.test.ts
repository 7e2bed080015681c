// Postscreen counts do not depend on the address family. A generated day with a third of its
// postscreen clients moved to IPv6 (as the large providers connect to a real MX) gives the same
// connection tallies and daily figures as the day itself, and the moved clients count in the
// countries GeoIP gives their IPv6 addresses. IPv4 clients take the postscreen lane's fast path;
// IPv6 ones do not.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { tmpDir, generatedLines, oneShot } from '../helpers/follow-env';
import type { Db } from '../../core/db/open';
import { moveClientToIpv6 } from '../../collectors/generate/ipv6-clients';
import { connectsByCountry, POSTSCREEN_CONNECT as CONNECT, talliedConnectsByCountry } from '../helpers/connect-countries';

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
      const expected = connectsByCountry(moved);
      expect(talliedConnectsByCountry(v6)).toEqual(expected);
      // every pool is in the file: no moved client is without a country
      expect(expected.get('unknown') ?? 0).toBe(0);
    } finally {
      v4.close();
      v6.close();
    }
  });
});
