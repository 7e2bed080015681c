// Dovecot logins (IMAP, POP3, through the proxies and on the mailbox servers): one row each,
// a relayed session counted once.
import type { BatchOutput } from './batch-output';

/** Sessions per generation of DovecotLogins.sessions: hours of logins at the seed's rate. */
const LOGIN_SESSION_GENERATION = 4096;

export class DovecotLogins {
  /**
   * Dovecot sessions whose login was emitted lately, in two generations: a relayed session logs
   * on the proxy and again on the backend within seconds, and is one login (METRICS.md). The
   * store's unique index on the session keeps the first row anyway (across restarts too, as
   * this is not persisted), but an ignored insert cost as much as a row: half a seed day's
   * 86,000 login lines.
   */
  private sessions = new Set<string>();
  private olderSessions = new Set<string>();

  constructor(private readonly b: BatchOutput) {}

  login(
    ev: { at: number; host: string },
    protocol: string,
    user: string | null,
    success: boolean,
    method: string | null,
    rip: string | null,
    lip: string | null,
    session: string | null,
    backend: string | null,
  ): void {
    if (session !== null) {
      if (this.sessions.has(session) || this.olderSessions.has(session)) return;
      if (this.sessions.size >= LOGIN_SESSION_GENERATION) {
        this.olderSessions = this.sessions;
        this.sessions = new Set();
      }
      this.sessions.add(session);
    }
    const proto = protocol.replace(/-login$/, '');
    this.b.out.logins.push({
      at: Math.floor(ev.at),
      host: ev.host,
      protocol: proto,
      username: user ? user.toLowerCase() : null,
      success,
      method,
      rip,
      lip,
      session,
      backend,
    });
    this.b.touch(ev.at);
  }
}
