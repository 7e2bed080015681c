// The `geoip:` section: which database answers "which country", and which networks are ours.
import { isIP } from 'node:net';
import { z } from 'zod';

/** `a.b.c.d/n` or `x::/n`, an address range. */
export const cidr = z.string().refine(
  (v) => {
    const slash = v.indexOf('/');
    if (slash < 0) return false;
    const family = isIP(v.slice(0, slash));
    const bits = Number(v.slice(slash + 1));
    return family !== 0 && Number.isInteger(bits) && bits >= 0 && bits <= (family === 4 ? 32 : 128);
  },
  { message: 'expected an address range such as 131.114.0.0/16' },
);

export const geoipSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** a country mmdb (GeoIP2/GeoLite2 Country or City, DB-IP); default: the bundled DB-IP file */
    database: z.string().min(1).nullable().default(null),
    /** an ASN mmdb (GeoLite2-ASN), optional: adds the network's owner where shown */
    asn_database: z.string().min(1).nullable().default(null),
    /** the site's own networks: labelled `site`, never a country, skipped by travel checks */
    site_networks: z.array(cidr).default(['131.114.0.0/16']),
    /** VPN pools and other ranges whose location says nothing about the user: skipped by travel checks */
    skip_travel_networks: z.array(cidr).default([]),
  })
  .default({ enabled: true, database: null, asn_database: null, site_networks: ['131.114.0.0/16'], skip_travel_networks: [] });

export type GeoipConfig = z.infer<typeof geoipSchema>;
