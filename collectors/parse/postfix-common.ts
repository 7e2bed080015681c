// What the Postfix readers share: the envelope fields an event starts with, the noise event,
// and a digit scan of the hand-written readers.
import type { MailEvent } from './events';

export type Base = { at: number; host: string; program: string; pid: number | null };

export function noise(b: Base): MailEvent {
  return { at: b.at, host: b.host, program: b.program, pid: b.pid, kind: 'noise', family: 'postfix' };
}

/** Index after the run of ASCII digits at i (i itself when none). */
export function digitsEnd(msg: string, i: number): number {
  const n = msg.length;
  while (i < n) {
    const c = msg.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return i;
    i++;
  }
  return i;
}
