// What an actor sees of the engine while it writes one episode (a bot connection, a message,
// a login...): the seeded randomness, the world, and push() for its future log lines. Every
// actor lives in its own file beside this one and is listed in the generator's catalogue.
import { type FigureName, figureNames } from '../../core/rollup/figures';
import type { Rng } from './prng';
import type { Mailbox, Peer, World } from './world';

export interface Episode {
  readonly rng: Rng;
  readonly world: World;
  /** mbox1's planned outage, [down, up) in unix seconds, once the first day has started */
  readonly outage: [number, number] | null;
  /**
   * Schedules one line at time t (`head` is `host prog[pid]:`). `f` is the bitmask of figures
   * the line proves (counted only if it is emitted); `m` marks a message whose first final
   * delivery it may be; `u` a user with a successful login; `b` a mailbox the line proves in use
   * (a final LMTP delivery).
   */
  push(t: number, head: string, msg: string, f?: number, m?: { delivered: boolean } | null, u?: string | null, b?: string): void;
  /** a fresh Postfix queue id, never repeated within a run */
  qid(): string;
  /** is mbox1 down at t? */
  down(t: number): boolean;
  nextPid(h: { nextPid: number }): number;
  /** `host postfix/prog[pid]:` */
  pf(h: { name: string }, prog: string, pid: number): string;
}

// figure bitmask: one bit per figure (31 at most)
if (figureNames.length > 31) throw new Error('generate: too many figures for the bitmask');
export const B = Object.fromEntries(figureNames.map((n, i) => [n, 1 << i])) as Record<FigureName, number>;

export type Rcpt = { kind: 'mbox'; addr: string; mb: Mailbox } | { kind: 'fwd'; addr: string; target: string; peer: Peer };

/** The recipients of a message that one delivery agent call handles together. */
export interface Group {
  type: 'mbox' | 'remote';
  mbox: number;
  rcpts: Rcpt[];
  /** remote: recipient address, original (orig_to) address */
  to: string;
  origTo: string | null;
  peer: Peer | null;
  deferRounds: number;
  bounce: boolean;
}

export function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Postfix-style delay number: 0.07, 1.3, 12, 0 */
export function fd(x: number): string {
  if (x < 0.005) return '0';
  if (x < 10) return String(Math.round(x * 100) / 100);
  if (x < 100) return String(Math.round(x * 10) / 10);
  return String(Math.round(x));
}
