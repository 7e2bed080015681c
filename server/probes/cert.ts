// Days left on a TLS server certificate, read from the live connection.
import type { TLSSocket } from 'node:tls';

const DAY_MS = 86_400_000;

/** Days (fractional) until the peer certificate's notAfter; negative once expired; null without one. */
export function certDaysLeft(socket: TLSSocket, nowMs: number): number | null {
  const cert = socket.getPeerCertificate();
  if (!cert || !cert.valid_to) return null;
  // valid_to is OpenSSL's text form, "Mar  1 12:00:00 2027 GMT", which Date parses.
  const notAfter = Date.parse(cert.valid_to);
  if (!Number.isFinite(notAfter)) return null;
  return Math.round(((notAfter - nowMs) / DAY_MS) * 1000) / 1000;
}

/** What a probe learned about the TLS it negotiated. */
export interface TlsSeen {
  protocol: string | null;
  cert_days_left: number | null;
}

export function tlsSeen(socket: TLSSocket | null, nowMs: number): TlsSeen | null {
  if (!socket) return null;
  return { protocol: socket.getProtocol(), cert_days_left: certDaysLeft(socket, nowMs) };
}
