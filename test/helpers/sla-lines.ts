// Lines for the SLA tests: mbox1's Dovecot killed at 13:50 on DATE and not started again by
// NOW_MS (14:00 in Rome), the LMTP deferral it causes (naming a user: personal data), and a
// line a minute from mx1 from 13:00 so that the hour is known (a span with no line from any
// host is unknown, never up).
import { DAY } from './lines';

export const OPEN_OUTAGE_KILL = `${DAY} 13:50:00 mbox1.unipi.it dovecot: master: Warning: Killed with signal 15 (by pid=1 uid=0 code=kill)`;
export const OPEN_OUTAGE_DEFERRAL = `${DAY} 13:52:10 mx1.unipi.it postfix/lmtp[18932]: 3F1A2B4C5D: to=<antonio.testa@unipi.it>, relay=none, delay=0.2, delays=0.19/0.01/0/0, dsn=4.4.1, status=deferred (connect to mbox1.unipi.it[10.1.0.11]:24: Connection refused)`;

export function openMailboxOutage(): string[] {
  const lines: string[] = [];
  for (let m = 0; m < 60; m++) {
    const mm = String(m).padStart(2, '0');
    // shape of RE_ANVIL's sample (collectors/parse/postfix.ts)
    lines.push(`${DAY} 13:${mm}:30 mx1.unipi.it postfix/anvil[2211]: statistics: max cache size 1 at ${DAY} 13:${mm}:30`);
    lines.push(`${DAY} 13:${mm}:40 mbox2.unipi.it postfix/anvil[3311]: statistics: max cache size 1 at ${DAY} 13:${mm}:40`);
    if (m < 50) lines.push(`${DAY} 13:${mm}:45 mbox1.unipi.it postfix/anvil[4411]: statistics: max cache size 1 at ${DAY} 13:${mm}:45`);
  }
  lines.push(OPEN_OUTAGE_KILL, OPEN_OUTAGE_DEFERRAL);
  return lines.sort((a, b) => a.slice(0, 15).localeCompare(b.slice(0, 15)));
}
