// smtpd sessions on hosts without postscreen: a connection row each (METRICS.md), its outcome
// known at the disconnect. Behind postscreen an smtpd session is no connection of its own.
import type { EventOf } from '../parse/events';
import { type BatchOutput, isLoopback } from './batch-output';
import type { ConnectionRow } from './records';

export interface OpenSession {
  rowId: number | null;
  at: number;
  host: string;
  ip: string;
  clientHost: string;
  auth: boolean;
  /** on a submission service (`postfix/submission/smtpd`): never an inbound connection (METRICS.md) */
  submission?: boolean;
}

/** master.cf's submission services, by the syslog_name of their smtpd (`postfix/submission/smtpd`). */
const SUBMISSION_SMTPD = /\/(?:submission|submissions|smtps)\/smtpd$/;

const SESSION_TTL = 3600; // smtpd session limit is far below an hour

function sessionKey(ev: { host: string; program: string; pid: number | null }): string {
  return `${ev.host}|${ev.program}|${ev.pid}`;
}

export class SmtpdSessions {
  private sessions: Map<string, OpenSession>;

  constructor(
    private readonly b: BatchOutput,
    public nextConnectionId: number,
    saved: Array<[string, OpenSession]> = [],
  ) {
    this.sessions = new Map(saved);
  }

  snapshot(): Array<[string, OpenSession]> {
    return [...this.sessions];
  }

  connect(ev: EventOf<'smtpd.connect'>): void {
    this.sessions.set(sessionKey(ev), {
      rowId: null,
      at: ev.at,
      host: ev.host,
      ip: ev.clientIp,
      clientHost: ev.clientHost,
      auth: false,
      ...(SUBMISSION_SMTPD.test(ev.program) ? { submission: true } : {}),
    });
  }

  /** A session whose client tried to authenticate (a SASL failure, or client= with a login). */
  markAuth(ev: { host: string; program: string; pid: number | null }): void {
    const s = this.sessions.get(sessionKey(ev));
    if (s) s.auth = true;
  }

  disconnect(ev: EventOf<'smtpd.disconnect'>): void {
    const key = sessionKey(ev);
    const s = this.sessions.get(key);
    if (!s) return;
    this.sessions.delete(key);
    const auth = s.auth || (ev.commands?.auth?.total ?? 0) > 0;
    if (s.rowId !== null) {
      const row = this.row(s.rowId, s, auth);
      this.b.out.connectionUpdates.push({ id: s.rowId, outcome: row.outcome, authAttempted: auth, counted: row.counted });
    } else {
      this.b.out.connections.push(this.row(this.nextConnectionId++, s, auth));
    }
    this.b.touch(s.at);
  }

  /**
   * Sessions still open are written at the end of a batch, so that a count never waits for a
   * line that may come only in the next batch (or never); their end is an update later.
   */
  writeOpen(): void {
    for (const s of this.sessions.values()) {
      if (s.rowId === null) {
        s.rowId = this.nextConnectionId++;
        this.b.out.connections.push(this.row(s.rowId, s, false));
        this.b.touch(s.at);
      }
    }
  }

  sweep(now: number): void {
    for (const [k, s] of this.sessions) {
      if (now - s.at > SESSION_TTL) {
        // Its disconnect never came (lost line): the connect line still proves a connection.
        if (s.rowId === null) {
          this.b.out.connections.push(this.row(this.nextConnectionId++, s, s.auth));
          this.b.touch(s.at);
        }
        this.sessions.delete(k);
      }
    }
  }

  private row(id: number, s: OpenSession, auth: boolean): ConnectionRow {
    return {
      id,
      at: Math.floor(s.at),
      host: s.host,
      kind: 'smtpd',
      clientIp: s.ip,
      clientHost: s.clientHost,
      outcome: auth ? 'auth' : 'disconnect',
      authAttempted: auth,
      // a submission session whose AUTH line never came (the log ends first) is still not inbound
      counted: !auth && !s.submission && !isLoopback(s.ip),
    };
  }
}
