// The bundled DB-IP country file read with maxmind itself, and our GeoIp over it: known
// addresses, labels for private/loopback/site networks, the database's date.
import { describe, it, expect } from 'vitest';
import maxmind, { Reader } from 'maxmind';
import { readFileSync } from 'node:fs';
import { Ipv4Tree } from '../../collectors/enrich/ipv4-tree';
import { rangeStarts } from '../helpers/mmdb-ranges';
import { GeoIp, bundledDatabasePath, geoipHealth, DBIP_CREDIT } from '../../collectors/enrich/geoip';
import { ITALIAN_NETS, PLANTED_IPS } from '../../collectors/generate/accounts';
import { configSchema } from '../../core/config/schema';
import { countryName } from '../../collectors/correlate/country-codes';

const config = configSchema.parse({}).geoip;

describe('the bundled country database', () => {
  it('opens with maxmind and places known addresses', async () => {
    // the flat ip-location-db record is not maxmind's typed shape (STACK.md): read it as such
    const reader = (await maxmind.open(bundledDatabasePath())) as unknown as { get(ip: string): { country_code?: string } | null };
    expect(reader.get('8.8.8.8')?.country_code).toBe('US');
    expect(reader.get('131.114.21.11')?.country_code).toBe('IT'); // University of Pisa, 131.114.0.0/16
    expect(reader.get('2001:760::1')?.country_code).toBe('IT'); // GARR, the Italian research network
    expect(reader.get('10.1.0.11')).toBeNull();
  });
});

describe('GeoIp', () => {
  const geo = new GeoIp(config);
  it('labels loopback, private and the site networks instead of a country', () => {
    expect(geo.country('127.0.0.1')).toBe('loopback');
    expect(geo.country('::1')).toBe('loopback');
    expect(geo.country('10.1.0.11')).toBe('private');
    expect(geo.country('192.168.3.4')).toBe('private');
    expect(geo.country('131.114.21.11')).toBe('site');
    expect(geo.country('not an address')).toBe('unknown');
    expect(geo.country('8.8.8.8')).toBe('US');
    expect(geo.country('2001:760::1')).toBe('IT');
  });

  it('gives the same answer for an IPv4 int32 (the postscreen tracker form)', () => {
    const int32 = (ip: string): number => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0) | 0;
    for (const ip of ['8.8.8.8', '131.114.21.11', '222.186.30.1', '10.1.0.11', '177.10.1.1']) expect(geo.countryV4(int32(ip))).toBe(geo.country(ip));
  });

  it("answers as maxmind for every range's first and last address and for random addresses", async () => {
    const reader = (await maxmind.open(bundledDatabasePath())) as unknown as { get(ip: string): { country_code?: string } | null };
    const text = (u: number): string => `${u >>> 24}.${(u >>> 16) & 255}.${(u >>> 8) & 255}.${u & 255}`;
    const expected = (u: number): string => {
      const a = u >>> 24;
      if (a === 127) return 'loopback';
      if (a === 10 || (u >>> 20) === 0xac1 || (u >>> 16) === 0xc0a8 || (u >>> 22) === 0x191 || (u >>> 16) === 0xa9fe) return 'private';
      if ((u >>> 16) === 0x8372) return 'site'; // 131.114.0.0/16
      return reader.get(text(u))?.country_code ?? 'unknown';
    };
    const g = new GeoIp(config);
    // the boundaries of the tree's ranges, where an off-by-one would show
    const file = readFileSync(bundledDatabasePath());
    const starts = rangeStarts(new Ipv4Tree(file, new Reader(file).metadata));
    expect(starts.length).toBeGreaterThan(300_000);
    const probes: number[] = [0, 0xffffffff, 0x7f000000, 0x7fffffff, 0x80000000, 0x83720000, 0x8372ffff, 0x83730000, 0x8371ffff];
    for (let i = 0; i < starts.length; i += 7) probes.push(starts[i]!, (starts[i]! - 1) >>> 0);
    let seed = 12345;
    for (let i = 0; i < 50_000; i++) probes.push((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0));
    let wrong = 0;
    for (const u of probes) if (g.countryV4(u | 0) !== expected(u)) wrong++;
    expect(probes.length).toBeGreaterThan(100_000);
    expect(wrong).toBe(0);
    // the batch form, as the postscreen lane asks at each drain, answers the same
    const ips = Int32Array.from(probes, (u) => u | 0);
    const codes = new Uint16Array(ips.length);
    g.codesV4(ips, ips.length, codes);
    let differ = 0;
    for (let i = 0; i < ips.length; i++) if (codes[i] !== g.codeV4(ips[i]!)) differ++;
    expect(differ).toBe(0);
  });

  it('answers IPv6 as maxmind, with the labels, however the address is written', async () => {
    const reader = (await maxmind.open(bundledDatabasePath())) as unknown as { get(ip: string): { country_code?: string } | null };
    const g = new GeoIp({ ...config, site_networks: ['131.114.0.0/16', '2001:760:2c00::/40', '2a00:1450:4864:20::/64', '64:ff9b::193.205.0.0/112'] });
    const h = (n: number): string => n.toString(16);
    let seed = 99;
    const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16;
    const probes: string[] = [];
    // addresses in a few providers' /32s (many in one /48, as a provider's pool), and anywhere
    for (const p of ['2a00:1450', '2a01:111', '2001:41d0', '2607:f8b0', '2804:14c', '240e:3a1', '2001:760', '2001:da8']) {
      for (let i = 0; i < 300; i++) probes.push(`${p}:${h(i % 3 === 0 ? 0x4864 : rnd())}:${h(rnd())}:${h(rnd())}::${h(rnd())}`);
    }
    for (let i = 0; i < 3000; i++) probes.push(`${h(0x2001 + (rnd() % 0xe00))}:${h(rnd())}:${h(rnd())}:${h(rnd())}:${h(rnd())}:${h(rnd())}:${h(rnd())}:${h(rnd())}`);
    const plain = new GeoIp(config); // no IPv6 site networks
    for (const ip of probes) expect(plain.country(ip), ip).toBe(reader.get(ip)?.country_code ?? 'unknown');
    expect(new Set(probes.map((ip) => plain.country(ip))).size).toBeGreaterThan(10);
    // a /48 the bundled file splits between countries (JP in its first /62, US after): the
    // answer for its first address must not be taken for the second
    for (const [a, b] of [
      ['2001:218:3000::1', '2001:218:3000:100::1'],
      ['2001:218:4001::1', '2001:218:4001:100::1'],
    ] as const) {
      const [ca, cb] = [reader.get(a)?.country_code, reader.get(b)?.country_code];
      expect(ca, `the bundled file places ${a} and ${b} apart`).not.toBe(cb);
      expect([plain.country(a), plain.country(b)]).toEqual([ca, cb]);
    }
    // the same address in its other spellings
    for (const [a, b] of [
      ['2001:db8:0:0:0:0:0:1', '2001:db8::1'],
      ['2A00:1450:4864::1B', '2a00:1450:4864:0:0:0:0:1b'],
      ['2001:41d0:0001::', '2001:41d0:1:0::0'],
    ] as const)
      expect(g.country(a)).toBe(g.country(b));
    // labels win over countries, to the bit of their prefix
    const labels: Array<[string, string]> = [
      ['::1', 'loopback'],
      ['fc00::1', 'private'],
      ['fdff:ffff::1', 'private'],
      ['fe80::1%eth0', 'private'],
      ['febf::1', 'private'],
      ['2001:760:2c00::25', 'site'],
      ['2001:760:2cff:ffff::1', 'site'],
      ['2a00:1450:4864:20::1b', 'site'],
      // IPv4-mapped, as a dual-stack socket reports an IPv4 client: the IPv4 address's answer
      ['::ffff:131.114.21.11', 'site'],
      ['::FFFF:131.114.21.11', 'site'],
      ['::ffff:8372:150b', 'site'],
      ['::ffff:127.0.0.1', 'loopback'],
      ['::ffff:10.1.2.3', 'private'],
      ['::ffff:8.8.8.8', reader.get('8.8.8.8')!.country_code!],
      ['0:0:0:0:0:ffff:8.8.8.8', reader.get('8.8.8.8')!.country_code!],
      ['::ffff:808:808', reader.get('8.8.8.8')!.country_code!],
      ['::ffff:8.8.8.8%eth0', reader.get('8.8.8.8')!.country_code!],
      ['::ffff:8.8.8.256', 'unknown'],
      ['1.2.3.4:25', 'unknown'],
      // a site network written with an IPv4 tail (a NAT64 prefix), matched however the address is written
      ['64:ff9b::193.205.1.2', 'site'],
      ['64:ff9b::c1cd:102', 'site'],
      ['64:ff9b::193.206.1.2', reader.get('64:ff9b::193.206.1.2')?.country_code ?? 'unknown'],
      ['fec0::1', reader.get('fec0::1')?.country_code ?? 'unknown'],
      ['2001:760:2d00::1', reader.get('2001:760:2d00::1')?.country_code ?? 'unknown'],
      ['2a00:1450:4864:21::1b', reader.get('2a00:1450:4864:21::1b')?.country_code ?? 'unknown'],
      ['2001:db8::zz', 'unknown'],
    ];
    for (const [ip, want] of labels) expect(g.country(ip), ip).toBe(want);
  });

  it('labels site networks smaller than a /16 to the address, in the batch form too', () => {
    const g = new GeoIp({ ...config, site_networks: ['131.114.0.0/16', '5.6.7.0/24', '5.6.8.16/28'] });
    const int32 = (ip: string): number => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0) | 0;
    const cases: Array<[string, string]> = [
      ['5.6.7.0', 'site'],
      ['5.6.7.255', 'site'],
      ['5.6.8.16', 'site'],
      ['5.6.8.31', 'site'],
      ['5.6.8.15', g.country('5.6.8.15')],
      ['5.6.8.32', g.country('5.6.8.32')],
      ['5.6.6.255', g.country('5.6.6.255')],
    ];
    expect(cases[4]![1]).toMatch(/^[A-Z]{2}$/);
    const ips = Int32Array.from(cases, ([ip]) => int32(ip));
    const codes = new Uint16Array(ips.length);
    g.codesV4(ips, ips.length, codes);
    cases.forEach(([ip, want], i) => {
      expect(g.countryV4(ips[i]!), ip).toBe(want);
      expect(countryName(codes[i]!), ip).toBe(want);
    });
  });

  it('skips the site, private and configured networks for travel', () => {
    const g = new GeoIp({ ...config, skip_travel_networks: ['5.90.0.0/16'] });
    expect(g.skipsTravel('131.114.1.1')).toBe(true);
    expect(g.skipsTravel('5.90.1.2')).toBe(true);
    expect(g.skipsTravel('151.20.1.2')).toBe(false);
  });

  it("places the generator's Italian home networks and planted attackers where the comments say", () => {
    for (const net of ITALIAN_NETS) for (const host of ['0.1', '77.200', '255.254']) expect(geo.country(`${net}.${host}`), net).toBe('IT');
    expect(geo.country(PLANTED_IPS.spammer)).toBe('NG');
    expect(geo.country(PLANTED_IPS.guesser)).toBe('RO');
    expect(geo.country(PLANTED_IPS.smtpGuesser)).toBe('CN');
    expect(geo.country(PLANTED_IPS.traveller)).toBe('BR');
  });

  it("reports the database's date and the credit for the health page", () => {
    const h = geoipHealth(config);
    expect(h.enabled).toBe(true);
    expect(h.built).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(h.file).toBe('dbip-country.mmdb');
    expect(h.credit).toBe(DBIP_CREDIT);
    expect(geoipHealth({ ...config, enabled: false })).toEqual({ enabled: false });
    expect(geoipHealth({ ...config, database: '/nonexistent/file.mmdb' }).error).toMatch(/ENOENT/);
  });

  it('names the config key of a database that is missing or not a MaxMind file', () => {
    expect(() => new GeoIp({ ...config, database: '/nonexistent/file.mmdb' })).toThrow(/^geoip\.database: cannot read \/nonexistent\/file\.mmdb \(ENOENT\)/);
    expect(() => new GeoIp({ ...config, asn_database: import.meta.filename })).toThrow(/^geoip\.asn_database: .* is not a MaxMind database/);
  });

  it('rejects a bad range and unknown keys in the config', () => {
    expect(() => configSchema.parse({ geoip: { site_networks: ['131.114.0.0/33'] } })).toThrow(/address range/);
    expect(() => configSchema.parse({ geoip: { colour: 'red' } })).toThrow();
    expect(() => configSchema.parse({ signals: { travel_speed_kmh: -1 } })).toThrow();
  });
});
