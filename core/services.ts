// The services availability is accounted for, by the names used everywhere (JSON, API, pages,
// report), and the host roles of the config that provide them.
import type { HostRole } from './config/schema';

export const serviceNames = ['smtp-in', 'smtp-out', 'filter', 'imap', 'pop3', 'mailbox', 'webmail'] as const;
export type ServiceName = (typeof serviceNames)[number];

export function isServiceName(s: string): s is ServiceName {
  return (serviceNames as readonly string[]).includes(s);
}

/** Which services a host of each configured role provides. */
export const servicesOfRole: Record<HostRole, readonly ServiceName[]> = {
  mx: ['smtp-in'],
  submission: ['smtp-out'],
  filter: ['filter'],
  'imap-proxy': ['imap', 'pop3'],
  mailbox: ['mailbox'],
  webmail: ['webmail'],
};
