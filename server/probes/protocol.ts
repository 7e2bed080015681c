// What every protocol probe gets and gives back.
import type { ProbeConfig } from '../../core/config/probes-schema';
import type { TlsSettings } from './line-session';
import type { TlsSeen } from './cert';

export interface ProtocolContext {
  probe: ProbeConfig;
  host: string;
  port: number;
  /** aborted at the probe's timeout: every socket of the probe is destroyed */
  signal: AbortSignal;
  tls: TlsSettings;
  /** the probe account's password, resolved for this run (IMAP/POP3 with a login) */
  password: string | null;
  nowMs: () => number;
}

export interface ProtocolOutcome {
  tls: TlsSeen | null;
}

/** A step that did not get the answer it needed; the message becomes the stored detail. */
export class ProbeFailure extends Error {
  override name = 'ProbeFailure';
}

/** A server reply quoted in a detail: one line, bounded. */
export function quote(reply: string): string {
  const s = reply.replace(/[\x00-\x1f\x7f]/g, ' ').trim();
  return s.length > 200 ? s.slice(0, 200) + '...' : s;
}
