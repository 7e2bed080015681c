// The one schema for postino.yml. Everything has a default, so an empty file (or none)
// is a valid configuration; unknown keys are errors.
import { isIP } from 'node:net';
import { z } from 'zod';
import { assertTimeZone } from '../time/local-time';
import { probesSchema } from './probes-schema';
import { budgetSchema } from './budget-schema';

export { defaultBudget } from './budget-schema';
import { reportsSchema } from './reports-schema';
import { accessSchema } from './access-schema';
import { geoipSchema } from './geoip-schema';
import { signalsSchema } from './signals-schema';
import { slaSchema } from './sla-schema';

const timeZone = z.string().refine(
  (tz) => {
    try {
      assertTimeZone(tz);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected an IANA time zone such as Europe/Rome' },
);

const share = z.number({ message: 'expected a number between 0 and 1' }).min(0, 'expected a number between 0 and 1').max(1, 'expected a number between 0 and 1');

export const hostRoles = ['mx', 'submission', 'imap-proxy', 'mailbox', 'filter', 'webmail'] as const;
export type HostRole = (typeof hostRoles)[number];

export const userRoles = ['wall', 'manager', 'operator', 'admin'] as const;
export type UserRole = (typeof userRoles)[number];

const hostSchema = z.strictObject({
  roles: z.array(z.enum(hostRoles)).default([]),
  /** share of all mailboxes held by this mailbox server (weights its downtime) */
  mailbox_share: share.optional(),
});

const sourceSchema = z.strictObject({
  /** a path or a glob (`/var/log/mail.log*`) */
  path: z.string().min(1),
  /** year of the first line for traditional syslog stamps; default: from the file's mtime */
  year: z.number().int().min(1970).max(2200).optional(),
});

const userSchema = z.strictObject({
  name: z.string().min(1),
  role: z.enum(userRoles),
  /** `scrypt$<salt hex>$<key hex>` as written by `postino user add` */
  password: z.string().regex(/^scrypt\$[0-9a-f]+\$[0-9a-f]+$/, 'expected a scrypt hash written by `postino user add`'),
});

/** An address or CIDR range as express's `trust proxy` takes it, or one of its named ranges. */
const proxyAddress = z.string().refine((v) => {
  if (v === 'loopback' || v === 'linklocal' || v === 'uniquelocal') return true;
  const [ip, bits, extra] = v.split('/');
  if (extra !== undefined || !ip || isIP(ip) === 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (isIP(ip) === 4 ? 32 : 128));
}, 'expected an IP address, a CIDR range (192.0.2.0/24) or loopback, linklocal, uniquelocal');

export const configSchema = z.strictObject({
  timezone: timeZone.default('Europe/Rome'),
  database: z.string().min(1).default('./data/postino.db'),
  sources: z.array(sourceSchema).default([]),
  journal: z.boolean().default(false),
  local_domains: z.array(z.string().min(1)).default(['unipi.it']),
  hosts: z.record(z.string(), hostSchema).default({}),
  spam: z
    .strictObject({
      inbound_tag: z.number().default(5),
      inbound_block: z.number().default(9),
      outbound_block: z.number().default(6),
    })
    .default({ inbound_tag: 5, inbound_block: 9, outbound_block: 6 }),
  content_filter: z
    .strictObject({ ports: z.array(z.number().int()).default([10024]), reinject_ports: z.array(z.number().int()).default([10025]) })
    .default({ ports: [10024], reinject_ports: [10025] }),
  correlation: z
    .strictObject({
      /** open queue-id / session records older than this are closed and forgotten */
      open_record_ttl_hours: z.number().positive().default(72),
    })
    .default({ open_record_ttl_hours: 72 }),
  retention: z
    .strictObject({
      connections_days: z.number().int().positive().default(14),
      messages_days: z.number().int().positive().default(90),
      logins_days: z.number().int().positive().default(90),
    })
    .default({ connections_days: 14, messages_days: 90, logins_days: 90 }),
  sla: slaSchema,
  budget: budgetSchema.default(budgetSchema.parse({})),
  reports: reportsSchema,
  server: z
    .strictObject({
      port: z.number().int().min(0).max(65535).default(8080),
      host: z.string().default('0.0.0.0'),
      /** long-lived tokens for kiosk screens: `/wall?token=...` gets the wall role */
      wall_tokens: z.array(z.string().min(16, 'expected a token of at least 16 characters')).default([]),
      /**
       * reverse proxies in front of postino, whose X-Forwarded-For names the client (the audit
       * trail and the sign-in throttle then see clients, not the proxy)
       */
      trusted_proxies: z.array(proxyAddress).default([]),
    })
    .default({ port: 8080, host: '0.0.0.0', wall_tokens: [], trusted_proxies: [] }),
  geoip: geoipSchema,
  signals: signalsSchema,
  users: z.array(userSchema).default([]),
  /** active probes (probes-schema.ts) */
  probes: probesSchema,
  access: accessSchema,
  /** generate and ingest demo data when no sources are configured and the database is empty */
  demo: z.boolean().default(true),
});

export type Config = z.infer<typeof configSchema>;
export type { BudgetConfig } from './budget-schema';
export type HostConfig = z.infer<typeof hostSchema>;
