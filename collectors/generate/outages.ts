// The planned outage of mbox1: Dovecot and Postfix stop, then start again.
import { type Episode } from './episode';

export function outageDown(g: Episode, t: number): void {
  const mb = g.world.mboxes[0]!;
  g.push(t, `${mb.name} dovecot:`, 'master: Warning: Killed with signal 15 (by pid=1 uid=0 code=kill)');
  g.push(t + 1, g.pf(mb, 'master', mb.masterPid), 'terminating on signal 15');
}

export function outageUp(g: Episode, t: number): void {
  const mb = g.world.mboxes[0]!;
  mb.masterPid = g.nextPid(mb);
  g.push(t, g.pf(mb, 'master', mb.masterPid), 'daemon started -- version 3.7.11, configuration /etc/postfix');
  g.push(t + 1, `${mb.name} dovecot:`, 'master: Dovecot v2.3.19 (b3ad6004dc) starting up for imap, pop3, lmtp (core dumps disabled)');
}
