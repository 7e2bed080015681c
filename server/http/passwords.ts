// Password hashes for users in postino.yml: `scrypt$<salt hex>$<key hex>` (node:crypto scrypt).
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

const KEY_LEN = 32;
const SALT_LEN = 16;

export function hashPassword(password: string): string {
  const salt = randomBytes(SALT_LEN);
  const key = scryptSync(password, salt, KEY_LEN);
  return `scrypt$${salt.toString('hex')}$${key.toString('hex')}`;
}

/**
 * Checks a password against its hash. scrypt runs on libuv's thread pool: a sign-in (tens of
 * milliseconds of CPU) never stalls the live feed, the collector or other requests.
 */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const m = /^scrypt\$([0-9a-f]+)\$([0-9a-f]+)$/.exec(hash);
  if (!m) return false;
  const salt = Buffer.from(m[1]!, 'hex');
  const want = Buffer.from(m[2]!, 'hex');
  if (want.length === 0) return false;
  const got = await new Promise<Buffer>((ok, fail) => scrypt(password, salt, want.length, (e, key) => (e ? fail(e) : ok(key))));
  return timingSafeEqual(got, want);
}

/** A random password that is easy to type: 16 characters from an unambiguous alphabet. */
export function randomPassword(length = 16): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}
