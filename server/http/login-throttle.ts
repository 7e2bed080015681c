// Failed sign-ins, counted so that a password cannot be guessed at the speed of the network.
// Counted per (client address, user name) and per client address, over a sliding window; past
// either limit, the address (for that name, or for all) waits until its oldest failure in the
// window has aged out. A success clears the count of that name from that address. Kept in
// memory, like the sessions: a restart forgets it.
import { createHash } from 'node:crypto';

/** Failures of one name from one address before it must wait. */
export const MAX_FAILURES_PER_USER = 5;
/** Failures from one address, whatever the names, before it must wait. */
export const MAX_FAILURES_PER_ADDRESS = 20;
export const WINDOW_MS = 15 * 60_000;
/** Keys kept at most (an address flood must not grow memory without bound). */
const MAX_KEYS = 10_000;

export class LoginThrottle {
  /** key → times of the failures within the window, oldest first */
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Seconds the address must wait before it may try this name again; 0 when it may now. */
  retryAfterS(address: string, user: string): number {
    const t = this.now();
    const wait = Math.max(this.waitMs(userKey(address, user), MAX_FAILURES_PER_USER, t), this.waitMs(addressKey(address), MAX_FAILURES_PER_ADDRESS, t));
    return Math.ceil(wait / 1000);
  }

  failed(address: string, user: string): void {
    const t = this.now();
    if (this.failures.size >= MAX_KEYS) this.sweep(t);
    for (const key of [userKey(address, user), addressKey(address)]) {
      const times = this.recent(key, t);
      times.push(t);
      this.failures.set(key, times);
    }
  }

  succeeded(address: string, user: string): void {
    this.failures.delete(userKey(address, user));
  }

  private waitMs(key: string, max: number, t: number): number {
    const times = this.recent(key, t);
    return times.length < max ? 0 : times[times.length - max]! + WINDOW_MS - t;
  }

  /** The failures of key still in the window (older ones are dropped). */
  private recent(key: string, t: number): number[] {
    const times = this.failures.get(key) ?? [];
    let drop = 0;
    while (drop < times.length && times[drop]! <= t - WINDOW_MS) drop++;
    if (drop > 0) times.splice(0, drop);
    if (times.length === 0) this.failures.delete(key);
    return times;
  }

  private sweep(t: number): void {
    for (const key of [...this.failures.keys()]) this.recent(key, t);
    // still full: forget the oldest keys
    for (const key of this.failures.keys()) {
      if (this.failures.size < MAX_KEYS) break;
      this.failures.delete(key);
    }
  }
}

// Names are matched as the login is: case-sensitively (config user names). A long name (the
// form allows 16 KB) is kept as its digest, so that 10,000 keys stay a few MB.
function userKey(address: string, user: string): string {
  const name = user.length <= 64 ? user : `#${createHash('sha256').update(user).digest('base64url')}`;
  return `u ${address.length}:${address} ${name}`;
}

function addressKey(address: string): string {
  return `a ${address}`;
}
