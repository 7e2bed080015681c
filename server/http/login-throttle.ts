// Failed sign-ins, counted so that a password cannot be guessed at the speed of the network.
// Counted per (client address, user name) and per client address, over a sliding window; past
// either limit, the address (for that name, or for all) waits until its oldest failure in the
// window has aged out. Counted per account as well, whatever the address, so that many
// addresses guessing one account are slowed too: past MAX_FAILURES_PER_ACCOUNT, every try
// waits a delay that doubles with each further failure (1 s, 2 s, 4 s ... up to 15 min) after
// the latest one. A success clears the counts of that name (from that address, and the
// account's). Kept in memory: a restart forgets it.
import { createHash } from 'node:crypto';

/** Failures of one name from one address before it must wait. */
export const MAX_FAILURES_PER_USER = 5;
/** Failures from one address, whatever the names, before it must wait. */
export const MAX_FAILURES_PER_ADDRESS = 20;
export const WINDOW_MS = 15 * 60_000;
/** Failures of one account, from any addresses, before each try must wait a growing delay. */
export const MAX_FAILURES_PER_ACCOUNT = 10;
/** The account's delay: 1 s after the first failure past the limit, doubling, at most this. */
export const MAX_ACCOUNT_DELAY_MS = 15 * 60_000;
/** Account failures are remembered this long (the delay grows over it). */
export const ACCOUNT_WINDOW_MS = 60 * 60_000;
/** Keys kept at most (an address flood must not grow memory without bound). */
const MAX_KEYS = 10_000;

export class LoginThrottle {
  /** key → times of the failures within the window, oldest first */
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Seconds the address must wait before it may try this name again; 0 when it may now. */
  retryAfterS(address: string, user: string): number {
    const t = this.now();
    const wait = Math.max(
      this.waitMs(userKey(address, user), MAX_FAILURES_PER_USER, t),
      this.waitMs(addressKey(address), MAX_FAILURES_PER_ADDRESS, t),
      this.accountWaitMs(user, t),
    );
    return Math.ceil(wait / 1000);
  }

  failed(address: string, user: string): void {
    const t = this.now();
    if (this.failures.size >= MAX_KEYS) this.sweep(t);
    for (const key of [userKey(address, user), addressKey(address), accountKey(user)]) {
      const times = this.recent(key, t);
      times.push(t);
      this.failures.set(key, times);
    }
  }

  succeeded(address: string, user: string): void {
    this.failures.delete(userKey(address, user));
    this.failures.delete(accountKey(user));
  }

  /** 1 s after the latest failure once the account reaches its limit, doubling with each further one. */
  private accountWaitMs(user: string, t: number): number {
    const times = this.recent(accountKey(user), t);
    const over = times.length - MAX_FAILURES_PER_ACCOUNT;
    if (over < 0) return 0;
    const delay = Math.min(MAX_ACCOUNT_DELAY_MS, 1000 * 2 ** Math.min(over, 30));
    return Math.max(0, times[times.length - 1]! + delay - t);
  }

  private waitMs(key: string, max: number, t: number): number {
    const times = this.recent(key, t);
    return times.length < max ? 0 : times[times.length - max]! + WINDOW_MS - t;
  }

  /** The failures of key still in the window (older ones are dropped). */
  private recent(key: string, t: number, window = key.startsWith('n ') ? ACCOUNT_WINDOW_MS : WINDOW_MS): number[] {
    const times = this.failures.get(key) ?? [];
    let drop = 0;
    while (drop < times.length && times[drop]! <= t - window) drop++;
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
function shortName(user: string): string {
  return user.length <= 64 ? user : `#${createHash('sha256').update(user).digest('base64url')}`;
}

function userKey(address: string, user: string): string {
  return `u ${address.length}:${address} ${shortName(user)}`;
}

function accountKey(user: string): string {
  return `n ${shortName(user)}`;
}

function addressKey(address: string): string {
  return `a ${address}`;
}
