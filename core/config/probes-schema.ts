// `probes:` in postino.yml: the active probes (SMTP, IMAP, POP3, HTTP(S)) whose results feed
// availability. A probe account's password may sit in the file, but an environment variable or
// a file (mode 0600, outside the repository) keeps it out of the configuration; whichever is
// used, it never appears in a response, a log line or an error.
import { z } from 'zod';
import { serviceNames, type ServiceName } from '../services';

export const probeTypes = ['smtp', 'imap', 'pop3', 'http'] as const;
export type ProbeType = (typeof probeTypes)[number];

export const tlsModes = ['none', 'starttls', 'implicit'] as const;
export type TlsMode = (typeof tlsModes)[number];

/** The service a probe speaks for when the config does not say. */
export const defaultServiceOfType: Record<ProbeType, ServiceName> = { smtp: 'smtp-in', imap: 'imap', pop3: 'pop3', http: 'webmail' };

/** The port when the target gives none: the protocol's well-known port for its TLS mode. */
export const defaultPort: Record<Exclude<ProbeType, 'http'>, { plain: number; implicit: number }> = {
  smtp: { plain: 25, implicit: 465 },
  imap: { plain: 143, implicit: 993 },
  pop3: { plain: 110, implicit: 995 },
};

const loginSchema = z.strictObject({
  user: z.string().min(1),
  /** the password itself (prefer password_env or password_file) */
  password: z.string().min(1).optional(),
  /** name of an environment variable holding the password */
  password_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name').optional(),
  /** path of a file holding the password (one line; the trailing newline is dropped) */
  password_file: z.string().min(1).optional(),
});

/** `host:port`, `[v6]:port` or a bare host; the port, when given, within 1..65535. */
export function parseHostPort(target: string): { host: string; port: number | null } | null {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:/[\]]+))(?::(\d{1,5}))?$/.exec(target);
  if (!m) return null;
  const port = m[3] === undefined ? null : Number(m[3]);
  if (port !== null && (port < 1 || port > 65535)) return null;
  return { host: (m[1] ?? m[2])!, port };
}

const probeSchema = z
  .strictObject({
    /** unique; labels the results, /api/probes and /metrics */
    name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'expected 1-64 letters, digits, dots, dashes or underscores'),
    type: z.enum(probeTypes),
    /** the host as named in the log (its outages are accounted to it) */
    host: z.string().min(1),
    /** default from the type: smtp → smtp-in, imap → imap, pop3 → pop3, http → webmail */
    service: z.enum(serviceNames).optional(),
    /** `host:port` (port defaults to the protocol's), or the URL for http */
    target: z.string().min(1),
    /** for http the URL's scheme decides (https = implicit) */
    tls: z.enum(tlsModes).default('none'),
    /** verify the certificate chain and name (an invalid certificate fails the probe) */
    tls_verify: z.boolean().default(true),
    /** PEM file of the CA(s) to trust instead of the system's (a private CA) */
    tls_ca_file: z.string().min(1).optional(),
    /** record the days left on the server's certificate when TLS is used */
    check_cert: z.boolean().default(true),
    /** IMAP and POP3 only: log in with this probe account */
    login: loginSchema.optional(),
    /** SMTP only: the EHLO name */
    helo: z.string().regex(/^[A-Za-z0-9.-]+$/, 'expected a host name').default('postino-probe.invalid'),
    interval_s: z.number().positive('expected a number of seconds > 0').default(10),
    timeout_s: z.number().positive('expected a number of seconds > 0').default(5),
  })
  .superRefine((p, ctx) => {
    if (p.type === 'http') {
      let url: URL | null = null;
      try {
        url = new URL(p.target);
      } catch {
        url = null;
      }
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
        ctx.addIssue({ code: 'custom', path: ['target'], message: 'expected an http:// or https:// URL' });
      } else if (url.username || url.password) {
        ctx.addIssue({ code: 'custom', path: ['target'], message: 'credentials in the URL are not allowed' });
      }
      if (p.tls === 'starttls') ctx.addIssue({ code: 'custom', path: ['tls'], message: 'http has no STARTTLS: use an https:// URL' });
    } else if (!parseHostPort(p.target)) {
      ctx.addIssue({ code: 'custom', path: ['target'], message: 'expected host:port (port 1-65535)' });
    }
    if (p.login) {
      if (p.type !== 'imap' && p.type !== 'pop3') ctx.addIssue({ code: 'custom', path: ['login'], message: 'a login is only for imap and pop3 probes' });
      const sources = [p.login.password, p.login.password_env, p.login.password_file].filter((v) => v !== undefined).length;
      if (sources !== 1) ctx.addIssue({ code: 'custom', path: ['login'], message: 'expected exactly one of password, password_env, password_file' });
    }
  })
  .transform((p) => ({ ...p, service: p.service ?? defaultServiceOfType[p.type] }));

export const probesSchema = z
  .array(probeSchema)
  .default([])
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((p, i) => {
      if (seen.has(p.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate probe name "${p.name}"` });
      seen.add(p.name);
    });
  });

export type ProbeConfig = z.output<typeof probeSchema>;
export type ProbeLogin = z.output<typeof loginSchema>;
