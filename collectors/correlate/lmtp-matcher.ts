// Joins the two ends of one LMTP delivery: the mailbox server's Dovecot `saved mail` line and
// the MX's Postfix `status=sent` line, by the LMTP session id Dovecot puts in its reply.
// Whichever comes first waits here briefly; the match puts the mailbox line in the trace.

export interface PendingLine {
  at: number;
  host: string;
  program: string;
  text: string;
}

export interface LmtpMatcherState {
  lmtpSaved: Array<[string, PendingLine]>;
  lmtpDelivered: Array<[string, { messageRow: number; at: number }]>;
}

/** The two ends of one LMTP transaction are logged seconds apart. */
const MATCH_TTL = 600;
/** `250 2.0.0 <user@unipi.it> 5LBwcacRZw5jweGJ0sm+fz Saved` (Dovecot LMTP reply) */
const RE_LMTP_SESSION = /\s([A-Za-z0-9+/]{10,})\s+Saved\b/;

export class LmtpMatcher {
  private saved: Map<string, PendingLine>;
  private delivered: Map<string, { messageRow: number; at: number }>;

  constructor(state?: LmtpMatcherState | null) {
    this.saved = new Map(state ? state.lmtpSaved : []);
    this.delivered = new Map(state ? state.lmtpDelivered : []);
  }

  snapshot(): LmtpMatcherState {
    return { lmtpSaved: [...this.saved], lmtpDelivered: [...this.delivered] };
  }

  /** A Dovecot `saved mail` line: the message row it belongs to, when its delivery was seen. */
  onSaved(session: string, line: PendingLine): number | null {
    const d = this.delivered.get(session);
    if (d) {
      this.delivered.delete(session);
      return d.messageRow;
    }
    this.saved.set(session, line);
    return null;
  }

  /** A Postfix LMTP `sent` line: the mailbox server's line, when it was seen already. */
  onDelivered(reply: string, messageRow: number, at: number): PendingLine | null {
    const session = RE_LMTP_SESSION.exec(reply)?.[1];
    if (!session) return null;
    const s = this.saved.get(session);
    if (s) {
      this.saved.delete(session);
      return s;
    }
    this.delivered.set(session, { messageRow, at });
    return null;
  }

  sweep(now: number): void {
    for (const [k, l] of this.saved) if (now - l.at > MATCH_TTL) this.saved.delete(k);
    for (const [k, d] of this.delivered) if (now - d.at > MATCH_TTL) this.delivered.delete(k);
  }
}
