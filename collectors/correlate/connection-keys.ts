// The key of an open postscreen connection within its host, and its text form in saved state.
import { ipv4Number } from '../parse/postscreen-bytes';

/**
 * The key of a connection within its host. For IPv4 a number, ip × 65536 + port: a number key
 * is hashed in a few instructions, where a string must be sliced from each line and hashed, and
 * a million connections a day make three lookups each. Otherwise the
 * text `ip]:port`, as it stands between `[` and the port's end in the log line.
 */
export type ConnectionKey = number | string;

export function connectionKey(ip: string, port: number): ConnectionKey {
  // (UTF-8: a character past ASCII becomes bytes that are no digit or dot)
  const bytes = Buffer.from(ip, 'utf8');
  const n = ipv4Number(bytes, 0, bytes.length);
  return n >= 0 && port < 65536 ? n * 65536 + port : `${ip}]:${port}`;
}

/** The key as text `ip]:port` (the saved state's form). */
export function keyText(key: ConnectionKey): string {
  if (typeof key === 'string') return key;
  const port = key % 65536;
  const ip = (key - port) / 65536;
  return `${Math.floor(ip / 16777216)}.${Math.floor(ip / 65536) % 256}.${Math.floor(ip / 256) % 256}.${ip % 256}]:${port}`;
}

/** `host|ip]:port` (the saved state's form) → [host, key]. */
export function restoredKey(k: string): [string, ConnectionKey] {
  const bar = k.indexOf('|');
  const host = k.slice(0, bar);
  const rest = k.slice(bar + 1);
  const sep = rest.lastIndexOf(']:');
  return [host, sep < 0 ? rest : connectionKey(rest.slice(0, sep), Number(rest.slice(sep + 2)))];
}

/** The IPv4 address of a numeric key, as an int32. */
export function ipOf(key: number): number {
  return ((key - (key % 65536)) / 65536) | 0;
}
